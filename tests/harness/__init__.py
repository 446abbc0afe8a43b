"""Test helpers: the real Pulumi dynamic-provider host driven over gRPC."""

from .host import PROVIDER_KEY, REPO_ROOT, UNKNOWN, ProviderHost, host_env
from .results import CheckResult, CreateResult, DiffResult, Failure, HostError, ReadResult, is_unknown

__all__ = [
    "PROVIDER_KEY",
    "REPO_ROOT",
    "UNKNOWN",
    "CheckResult",
    "CreateResult",
    "DiffResult",
    "Failure",
    "HostError",
    "ProviderHost",
    "ReadResult",
    "host_env",
    "is_unknown",
]
