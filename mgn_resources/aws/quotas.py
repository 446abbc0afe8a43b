"""MGN's service quotas per account and region, as MGN's documentation lists them: the one place the library takes
them from (the refusal messages, the launch admission). botocore's model does not carry them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quotas:
    concurrent_jobs: int = 20  # "Max concurrent jobs" per account and region
    servers_in_active_jobs: int = 200  # "Max source servers in all active jobs" per account and region


MGN_QUOTAS = Quotas()

#: The ``errors[].code`` of a refused StartCutover / StartTest, and what each quota is.
CONCURRENT_JOBS = "CONCURRENT_JOBS_QUOTA"
ACTIVE_SOURCE_SERVERS = "ACTIVE_SOURCE_SERVERS_QUOTA"
QUOTA_CODES = {
    CONCURRENT_JOBS: f"{MGN_QUOTAS.concurrent_jobs} concurrent jobs per account",
    ACTIVE_SOURCE_SERVERS: f"{MGN_QUOTAS.servers_in_active_jobs} source servers in active jobs per account",
}
