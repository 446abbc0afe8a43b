"""The adapter does not depend on urllib3 2: it imports, and classifies a name that does not resolve, with a urllib3
that has no NameResolutionError (1.26, which botocore allows), where the gaierror is the context of
NewConnectionError instead of the cause of NameResolutionError."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest
from botocore.exceptions import EndpointConnectionError
from urllib3.exceptions import NewConnectionError

from mgn_resources.aws.errors import Endpoint, translate
from mgn_resources.errors import ConnectionSettingsError
from tests.harness.host import REPO_ROOT

URL = "http://mgn.example.invalid"


def urllib3_1_26_failure() -> EndpointConnectionError:
    """What botocore raises over urllib3 1.26 for a host name that does not resolve."""
    try:
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as exc:
            raise NewConnectionError(None, f"Failed to establish a new connection: {exc}") from None
    except NewConnectionError as wrapped:
        wrapped.__suppress_context__ = False  # 1.26 raises it inside the except block: the gaierror is its context
        return EndpointConnectionError(endpoint_url=URL, error=wrapped)


def test_a_gaierror_in_the_context_is_a_name_that_does_not_resolve() -> None:
    failure = urllib3_1_26_failure()
    assert isinstance(failure.kwargs["error"].__context__, socket.gaierror)

    translated = translate(failure, "DescribeJobs", where=Endpoint(url=URL, region="us-east-1"))

    assert isinstance(translated, ConnectionSettingsError) and translated.setting == "endpoint_url"
    assert "mgn.example.invalid does not resolve" in str(translated)


@pytest.mark.slow
def test_the_adapter_imports_and_classifies_without_urllib3_2s_name_resolution_error() -> None:
    program = textwrap.dedent(
        """
        import urllib3.exceptions
        del urllib3.exceptions.NameResolutionError  # as in urllib3 1.26
        import mgn_resources.aws
        from mgn_resources.aws.errors import Endpoint, translate
        from tests.test_aws.test_urllib3_versions import urllib3_1_26_failure, URL
        error = translate(urllib3_1_26_failure(), "DescribeJobs", where=Endpoint(url=URL, region="us-east-1"))
        print(type(error).__name__, error.setting)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["ConnectionSettingsError", "endpoint_url"]
