"""What each resource does with its props, on the engine, whichever face drives it: check, diff, create, read, update
and delete as plain Python on plain values (an unknown value is ``pulumi.output.Unknown``, whatever face read it).

The faces are thin translations of these calls: the dynamic providers (``provider/``) and the provider plugin
(``plugin/``). No AWS call in check or diff; progress goes to the ``Progress`` a face passes in.
"""
