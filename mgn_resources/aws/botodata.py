"""botocore's own data (service models, partitions, endpoints) through a session that never reads an AWS profile.

``botocore.session.get_session()`` finds its data directory through the ``data_path`` setting, which it also looks
up in the profile that ``AWS_PROFILE`` names: a missing profile (``ProfileNotFound``) or a config file it cannot
parse would stop the import of this package with a traceback before any setting could be reported. The data needs
no profile: only ``AWS_DATA_PATH`` is honoured here (a profile's ``data_path`` is not).
"""

from __future__ import annotations

import os
from functools import cache, lru_cache

import botocore.session
from botocore.loaders import create_loader
from botocore.model import ServiceModel


@lru_cache(maxsize=1)
def data_session() -> botocore.session.Session:
    """One botocore session for data only; never used to build a client."""
    session = botocore.session.Session()
    session.register_component("data_loader", create_loader(os.environ.get("AWS_DATA_PATH")))
    return session


@cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of ``service`` (``mgn``, ``ec2``), without reading any AWS profile, loaded once per process.

    It is loaded by its path, in its newest API version: the loader's own ``load_service_model`` first lists every
    service botocore ships (about 400 folders) to refuse an unknown name, about 25 ms in each process that imports
    this package (the program, the provider host, the plugin), longer than the load itself.
    """
    loader = data_session().get_component("data_loader")
    version = loader.determine_latest_version(service, "service-2")
    return ServiceModel(loader.load_data(f"{service}/{version}/service-2"), service_name=service)
