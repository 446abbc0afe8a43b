"""What a program offers its users of the resources' inputs, without reaching into the schema."""

from __future__ import annotations

from ..schema.inputs import CUTOVER, LAUNCH_SETTINGS, ON_DELETE_CUTOVER

#: ``Cutover``'s ``on_delete`` values.
CUTOVER_ON_DELETE: tuple[str, ...] = tuple(ON_DELETE_CUTOVER.choices)
#: ``LaunchSettings``' target settings (every input a server's target takes: not the connection inputs,
#: ``source_server_id`` or ``on_delete``), in the schema's order.
TARGET_SETTINGS: tuple[str, ...] = tuple(
    row.name
    for row in LAUNCH_SETTINGS.inputs
    if row.name not in ("source_server_id", "on_delete") and row.name not in {r.name for r in CUTOVER.inputs}
)
