"""Applications and waves through real boto3 clients: each operation, filters, pagination, the 50-per-call limit,
the conflicts the emulator reads into the model (docs/emulator.md, "Applications and waves"), tags and accounts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import ManualClock, make_seed, mgn_client, server_entry, server_id

S1, S2, S3, DONE = (server_id(n) for n in (1, 2, 3, 4))
MANY = 51  # servers 1..51: one more than an association call takes
SEED = make_seed(
    [
        server_entry(1, state="READY_FOR_TEST"),
        server_entry(2),
        server_entry(3, replication={"state": "STALLED"}),
        server_entry(4, state="CUTOVER", archived=True),
        *range(5, MANY + 1),
    ]
)
APP_ID = re.compile(r"app-[0-9a-zA-Z]{17}")
WAVE_ID = re.compile(r"wave-[0-9a-zA-Z]{17}")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emu(clock: ManualClock) -> Iterator[EmulatorServer]:
    with EmulatorServer(seed=SEED, launch_seconds=10, post_launch_seconds=0, clock=clock) as server:
        yield server


@pytest.fixture
def client(emu: EmulatorServer) -> Any:
    return mgn_client(emu.url)


def app(client: Any, name: str, *servers: str, **extra: Any) -> str:
    application_id = str(client.create_application(name=name, **extra)["applicationID"])
    if servers:
        client.associate_source_servers(applicationID=application_id, sourceServerIDs=list(servers))
    return application_id


def wave(client: Any, name: str, *applications: str) -> str:
    wave_id = str(client.create_wave(name=name)["waveID"])
    if applications:
        client.associate_applications(waveID=wave_id, applicationIDs=list(applications))
    return wave_id


def get_app(client: Any, application_id: str) -> dict[str, Any]:
    (item,) = client.list_applications(filters={"applicationIDs": [application_id]})["items"]
    return dict(item)


def get_wave(client: Any, wave_id: str) -> dict[str, Any]:
    (item,) = client.list_waves(filters={"waveIDs": [wave_id]})["items"]
    return dict(item)


def server(client: Any, sid: str) -> dict[str, Any]:
    return dict(client.describe_source_servers(filters={"sourceServerIDs": [sid]})["items"][0])


def conflict(client: Any, call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(client.exceptions.ConflictException) as caught:
        call(**params)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    return dict(caught.value.response)


# ---- applications ------------------------------------------------------------------------------------
def test_create_update_delete_application(client: Any, clock: ManualClock) -> None:
    created = client.create_application(name="web tier", description="front end", tags={"team": "a"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    application_id = created["applicationID"]
    assert APP_ID.fullmatch(application_id)
    assert created["arn"] == f"arn:aws:mgn:us-east-1:111122223333:application/{application_id}"
    assert (created["name"], created["description"], created["isArchived"], created["tags"]) == (
        "web tier", "front end", False, {"team": "a"}
    )
    assert created["creationDateTime"] == created["lastModifiedDateTime"] == "2026-11-28T02:00:00.000Z"
    assert created["applicationAggregatedStatus"] == {
        "lastUpdateDateTime": "2026-11-28T02:00:00.000Z",
        "healthStatus": "HEALTHY",
        "progressStatus": "NOT_STARTED",
        "totalSourceServers": 0,
    }
    assert "waveID" not in created

    clock.advance(60)
    updated = client.update_application(applicationID=application_id, name="web", description="")
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (updated["name"], "description" in updated) == ("web", False)
    assert updated["creationDateTime"] == "2026-11-28T02:00:00.000Z"
    assert updated["lastModifiedDateTime"] == "2026-11-28T02:01:00.000Z"
    assert client.update_application(applicationID=application_id, description="d")["name"] == "web"
    assert get_app(client, application_id)["description"] == "d"

    deleted = client.delete_application(applicationID=application_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert client.list_applications()["items"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.update_application(applicationID=application_id, name="again")
    assert caught.value.response["resourceId"] == application_id
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_application(applicationID=application_id)


def test_a_204_answer_has_no_body_and_keeps_the_connection(emu: EmulatorServer, client: Any) -> None:
    for name in ("a", "b"):
        client.delete_application(applicationID=app(client, name))
        client.delete_wave(waveID=wave(client, name))
    assert client.list_applications()["items"] == [] and client.list_waves()["items"] == []
    assert emu.connection_count == 1


def test_application_names_are_unique(client: Any) -> None:
    first = app(client, "web")
    second = app(client, "db")
    error = conflict(client, client.create_application, name="web")
    assert error["resourceId"] == first and error["resourceType"] == "APPLICATION"
    assert error["errors"][0]["code"] == "APPLICATION_NAME_ALREADY_EXISTS"
    conflict(client, client.update_application, applicationID=second, name="web")
    assert client.update_application(applicationID=first, name="web")["name"] == "web"  # its own name
    assert client.create_wave(name="web")["name"] == "web"  # waves have names of their own


def test_associate_and_disassociate_source_servers(client: Any, clock: ManualClock) -> None:
    web = app(client, "web")
    clock.advance(5)
    answer = client.associate_source_servers(applicationID=web, sourceServerIDs=[S1, S2])
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert server(client, S1)["applicationID"] == web and server(client, S2)["applicationID"] == web
    assert "applicationID" not in server(client, S3)
    listed = get_app(client, web)
    assert listed["applicationAggregatedStatus"]["totalSourceServers"] == 2
    assert listed["lastModifiedDateTime"] == "2026-11-28T02:00:05.000Z"

    # again (a retry): nothing changes, nothing is refused
    clock.advance(5)
    client.associate_source_servers(applicationID=web, sourceServerIDs=[S1])
    assert get_app(client, web)["lastModifiedDateTime"] == "2026-11-28T02:00:05.000Z"

    client.disassociate_source_servers(applicationID=web, sourceServerIDs=[S1, S3])  # S3 was in none: left so
    assert "applicationID" not in server(client, S1)
    assert get_app(client, web)["applicationAggregatedStatus"]["totalSourceServers"] == 1


def test_a_server_belongs_to_one_application_and_a_refused_call_changes_nothing(client: Any) -> None:
    web, db = app(client, "web", S1), app(client, "db")
    error = conflict(client, client.associate_source_servers, applicationID=db, sourceServerIDs=[S2, S1])
    assert [(e["resourceId"], e["code"]) for e in error["errors"]] == [(S1, "SOURCE_SERVER_IN_OTHER_APPLICATION")]
    assert web in error["Error"]["Message"]
    assert "applicationID" not in server(client, S2)  # all or nothing
    conflict(client, client.disassociate_source_servers, applicationID=db, sourceServerIDs=[S1])
    assert server(client, S1)["applicationID"] == web

    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.associate_source_servers(applicationID=db, sourceServerIDs=[S2, server_id(999)])
    assert caught.value.response["resourceId"] == server_id(999)
    assert "applicationID" not in server(client, S2)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.associate_source_servers(applicationID="app-00000000000000000", sourceServerIDs=[S2])


def test_at_most_50_servers_or_applications_per_call(client: Any) -> None:
    ids = [server_id(n) for n in range(1, MANY + 1)]
    web = app(client, "web")
    for call in (client.associate_source_servers, client.disassociate_source_servers):
        with pytest.raises(client.exceptions.ValidationException) as caught:
            call(applicationID=web, sourceServerIDs=ids)
        assert [f["name"] for f in caught.value.response["fieldList"]] == ["sourceServerIDs"]
        assert "less than or equal to 50" in caught.value.response["fieldList"][0]["message"]
    client.associate_source_servers(applicationID=web, sourceServerIDs=ids[:50])
    client.associate_source_servers(applicationID=web, sourceServerIDs=ids[50:])
    assert get_app(client, web)["applicationAggregatedStatus"]["totalSourceServers"] == MANY  # no cap per application

    apps = [app(client, f"app-{n}") for n in range(MANY)]
    first = wave(client, "first")
    for call in (client.associate_applications, client.disassociate_applications):
        with pytest.raises(client.exceptions.ValidationException) as caught:
            call(waveID=first, applicationIDs=apps)
        assert [f["name"] for f in caught.value.response["fieldList"]] == ["applicationIDs"]
    client.associate_applications(waveID=first, applicationIDs=apps[:50])
    assert get_wave(client, first)["waveAggregatedStatus"]["totalApplications"] == 50


def test_a_malformed_id_is_a_validation_error(client: Any) -> None:
    bad = mgn_client(client.meta.endpoint_url, parameter_validation=False)
    with pytest.raises(bad.exceptions.ValidationException) as caught:
        bad.associate_source_servers(applicationID="app-1", sourceServerIDs=["s-1"])
    assert {f["name"] for f in caught.value.response["fieldList"]} == {"applicationID", "sourceServerIDs"}
    with pytest.raises(bad.exceptions.ValidationException) as caught:
        bad.create_wave(name=" leading blank")
    assert [f["name"] for f in caught.value.response["fieldList"]] == ["name"]
    with pytest.raises(bad.exceptions.ValidationException):
        bad.list_waves(filters={"waveIDs": ["app-00000000000000001"]})


def test_deleting_an_application_with_servers_is_refused(client: Any) -> None:
    web = app(client, "web", S1)
    error = conflict(client, client.delete_application, applicationID=web)
    assert (error["resourceId"], error["resourceType"]) == (web, "APPLICATION")
    assert error["errors"][0]["code"] == "APPLICATION_HAS_SOURCE_SERVERS" and S1 in error["Error"]["Message"]
    client.disassociate_source_servers(applicationID=web, sourceServerIDs=[S1])
    client.delete_application(applicationID=web)


def test_archive_rules_of_applications(client: Any, clock: ManualClock) -> None:
    web = app(client, "web", S1, DONE)
    error = conflict(client, client.archive_application, applicationID=web)
    assert [(e["resourceId"], e["code"]) for e in error["errors"]] == [(S1, "SOURCE_SERVER_NOT_ARCHIVED")]
    client.disassociate_source_servers(applicationID=web, sourceServerIDs=[S1])

    clock.advance(10)
    archived = client.archive_application(applicationID=web)
    assert archived["isArchived"] is True and archived["lastModifiedDateTime"] == "2026-11-28T02:00:10.000Z"
    clock.advance(10)
    assert client.archive_application(applicationID=web)["lastModifiedDateTime"] == "2026-11-28T02:00:10.000Z"
    for call, params in [
        (client.update_application, {"name": "renamed"}),
        (client.associate_source_servers, {"sourceServerIDs": [S1]}),
        (client.disassociate_source_servers, {"sourceServerIDs": [DONE]}),
    ]:
        error = conflict(client, call, applicationID=web, **params)
        assert error["errors"][0]["code"] == "APPLICATION_ARCHIVED"
    conflict(client, client.delete_application, applicationID=web)  # archived, it still has a server

    unarchived = client.unarchive_application(applicationID=web)
    assert unarchived["isArchived"] is False
    assert client.unarchive_application(applicationID=web)["isArchived"] is False
    client.update_application(applicationID=web, name="renamed")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.archive_application(applicationID="app-00000000000000000")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.unarchive_application(applicationID="app-00000000000000000")


def test_list_applications_filters_and_pages(client: Any) -> None:
    ids = [app(client, f"app {n}") for n in range(7)]
    first = wave(client, "first", ids[0], ids[1])
    second = wave(client, "second", ids[2])
    client.archive_application(applicationID=ids[3])
    client.archive_application(applicationID=ids[1])

    def listed(**filters: Any) -> list[str]:
        return [a["applicationID"] for a in client.list_applications(filters=filters)["items"]]

    assert listed() == ids  # in creation order
    assert listed(applicationIDs=[ids[4], ids[2]]) == [ids[2], ids[4]]
    assert listed(waveIDs=[first]) == ids[:2]
    assert listed(waveIDs=[first, second]) == ids[:3]
    assert listed(isArchived=True) == [ids[1], ids[3]]
    assert listed(isArchived=False, waveIDs=[first]) == [ids[0]]
    assert listed(applicationIDs=["app-00000000000000000"]) == []
    assert get_app(client, ids[0])["waveID"] == first

    page = client.list_applications(maxResults=3)
    assert len(page["items"]) == 3 and page["nextToken"]
    with pytest.raises(client.exceptions.ValidationException) as caught:
        client.list_applications(maxResults=3, nextToken=page["nextToken"], filters={"isArchived": True})
    assert caught.value.response["fieldList"][0]["name"] == "nextToken"
    pages = client.get_paginator("list_applications").paginate(PaginationConfig={"PageSize": 2})
    assert [a["applicationID"] for p in pages for a in p["items"]] == ids
    paginator = client.get_paginator("list_applications")
    pages = paginator.paginate(filters={"isArchived": False}, PaginationConfig={"PageSize": 1})
    assert [a["applicationID"] for p in pages for a in p["items"]] == [i for i in ids if i not in (ids[1], ids[3])]


# ---- waves ------------------------------------------------------------------------------------------
def test_create_update_delete_wave(client: Any, clock: ManualClock) -> None:
    created = client.create_wave(name="wave 1", description="first", tags={"phase": "1"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    wave_id = created["waveID"]
    assert WAVE_ID.fullmatch(wave_id)
    assert created["arn"] == f"arn:aws:mgn:us-east-1:111122223333:wave/{wave_id}"
    assert (created["name"], created["description"], created["isArchived"], created["tags"]) == (
        "wave 1", "first", False, {"phase": "1"}
    )
    assert created["waveAggregatedStatus"] == {
        "lastUpdateDateTime": "2026-11-28T02:00:00.000Z",
        "healthStatus": "HEALTHY",
        "progressStatus": "NOT_STARTED",
        "totalApplications": 0,
    }
    clock.advance(30)
    updated = client.update_wave(waveID=wave_id, name="wave one")
    assert (updated["name"], updated["description"]) == ("wave one", "first")
    assert updated["lastModifiedDateTime"] == "2026-11-28T02:00:30.000Z"
    other = wave(client, "wave 2")
    conflict(client, client.create_wave, name="wave one")
    error = conflict(client, client.update_wave, waveID=other, name="wave one")
    assert error["errors"][0]["code"] == "WAVE_NAME_ALREADY_EXISTS"

    assert client.delete_wave(waveID=wave_id)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert [w["waveID"] for w in client.list_waves()["items"]] == [other]
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.update_wave(waveID=wave_id, name="x")
    assert (caught.value.response["resourceId"], caught.value.response["resourceType"]) == (wave_id, "WAVE")


def test_associate_and_disassociate_applications(client: Any) -> None:
    web, db, batch = app(client, "web"), app(client, "db"), app(client, "batch")
    first, second = wave(client, "first"), wave(client, "second")
    client.associate_applications(waveID=first, applicationIDs=[web, db])
    client.associate_applications(waveID=first, applicationIDs=[web])  # again: nothing changes
    assert get_app(client, web)["waveID"] == first
    assert get_wave(client, first)["waveAggregatedStatus"]["totalApplications"] == 2

    error = conflict(client, client.associate_applications, waveID=second, applicationIDs=[batch, web])
    assert [(e["resourceId"], e["code"]) for e in error["errors"]] == [(web, "APPLICATION_IN_OTHER_WAVE")]
    assert "waveID" not in get_app(client, batch)  # all or nothing
    conflict(client, client.disassociate_applications, waveID=second, applicationIDs=[web])
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.associate_applications(waveID=second, applicationIDs=["app-00000000000000000"])
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.associate_applications(waveID="wave-00000000000000000", applicationIDs=[batch])

    client.disassociate_applications(waveID=first, applicationIDs=[web, batch])  # batch was in none: left so
    assert "waveID" not in get_app(client, web)
    client.associate_applications(waveID=second, applicationIDs=[web])
    assert get_app(client, web)["waveID"] == second


def test_deleting_a_wave_with_applications_is_refused(client: Any) -> None:
    web = app(client, "web")
    first = wave(client, "first", web)
    error = conflict(client, client.delete_wave, waveID=first)
    assert (error["resourceId"], error["errors"][0]["code"]) == (first, "WAVE_HAS_APPLICATIONS")
    client.delete_application(applicationID=web)  # an application with no servers goes, and leaves its wave
    assert get_wave(client, first)["waveAggregatedStatus"]["totalApplications"] == 0
    client.delete_wave(waveID=first)


def test_archive_rules_of_waves(client: Any) -> None:
    web, db = app(client, "web"), app(client, "db")
    first = wave(client, "first", web)
    error = conflict(client, client.archive_wave, waveID=first)
    assert [(e["resourceId"], e["code"]) for e in error["errors"]] == [(web, "APPLICATION_NOT_ARCHIVED")]
    client.archive_application(applicationID=web)
    error = conflict(client, client.disassociate_applications, waveID=first, applicationIDs=[web])
    assert error["errors"][0]["code"] == "APPLICATION_ARCHIVED"  # an archived application stays where it is
    client.archive_application(applicationID=db)
    conflict(client, client.associate_applications, waveID=first, applicationIDs=[db])

    assert client.archive_wave(waveID=first)["isArchived"] is True
    assert client.archive_wave(waveID=first)["isArchived"] is True
    client.unarchive_application(applicationID=db)
    for call, params in [
        (client.update_wave, {"name": "renamed"}),
        (client.associate_applications, {"applicationIDs": [db]}),
        (client.disassociate_applications, {"applicationIDs": [web]}),
    ]:
        assert conflict(client, call, waveID=first, **params)["errors"][0]["code"] == "WAVE_ARCHIVED"
    assert [w["waveID"] for w in client.list_waves(filters={"isArchived": True})["items"]] == [first]
    assert client.unarchive_wave(waveID=first)["isArchived"] is False
    assert client.unarchive_wave(waveID=first)["isArchived"] is False
    client.associate_applications(waveID=first, applicationIDs=[db])
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.archive_wave(waveID="wave-00000000000000000")


def test_list_waves_filters_and_pages(client: Any) -> None:
    ids = [wave(client, f"wave {n}") for n in range(5)]
    client.archive_wave(waveID=ids[2])

    def listed(**filters: Any) -> list[str]:
        return [w["waveID"] for w in client.list_waves(filters=filters)["items"]]

    assert listed() == ids
    assert listed(waveIDs=[ids[4], ids[0]]) == [ids[0], ids[4]]
    assert listed(isArchived=True) == [ids[2]]
    assert listed(isArchived=False, waveIDs=[ids[2], ids[3]]) == [ids[3]]
    page = client.list_waves(maxResults=2)
    assert len(page["items"]) == 2
    rest = client.list_waves(maxResults=2, nextToken=page["nextToken"])
    assert [w["waveID"] for w in rest["items"]] == ids[2:4]
    pages = client.get_paginator("list_waves").paginate(PaginationConfig={"PageSize": 2})
    assert [w["waveID"] for p in pages for w in p["items"]] == ids
    with pytest.raises(client.exceptions.ValidationException):
        client.list_applications(nextToken=page["nextToken"])  # a token of ListWaves


# ---- servers, statuses, tags, accounts ----------------------------------------------------------------
def test_describe_source_servers_by_application(client: Any) -> None:
    web, db, empty = app(client, "web", S1, S2), app(client, "db", S3), app(client, "empty")

    def described(**filters: Any) -> list[str]:
        return [s["sourceServerID"] for s in client.describe_source_servers(filters=filters)["items"]]

    assert described(applicationIDs=[web]) == [S1, S2]
    assert described(applicationIDs=[db, web]) == [S1, S2, S3]
    assert described(applicationIDs=[empty]) == []
    assert described(applicationIDs=[web], sourceServerIDs=[S2, S3]) == [S2]
    assert described(applicationIDs=[web], lifeCycleStates=["READY_FOR_TEST"]) == [S1]
    pages = client.get_paginator("describe_source_servers").paginate(
        filters={"applicationIDs": [web, db]}, PaginationConfig={"PageSize": 1}
    )
    assert [s["sourceServerID"] for p in pages for s in p["items"]] == [S1, S2, S3]


def test_aggregated_status_follows_the_servers(client: Any, clock: ManualClock) -> None:
    web, stalled, done = app(client, "web", S1), app(client, "stalled", S3), app(client, "done", DONE)
    first = wave(client, "first", web, done)
    status = get_app(client, web)["applicationAggregatedStatus"]
    assert (status["progressStatus"], status["healthStatus"]) == ("NOT_STARTED", "HEALTHY")  # READY_FOR_TEST
    assert get_app(client, stalled)["applicationAggregatedStatus"]["healthStatus"] == "ERROR"
    assert get_app(client, stalled)["applicationAggregatedStatus"]["progressStatus"] == "IN_PROGRESS"  # tested

    client.start_test(sourceServerIDs=[S1])
    assert get_app(client, web)["applicationAggregatedStatus"]["progressStatus"] == "IN_PROGRESS"
    assert get_wave(client, first)["waveAggregatedStatus"]["progressStatus"] == "IN_PROGRESS"
    clock.advance(20)
    client.start_cutover(sourceServerIDs=[S1])
    clock.advance(20)
    client.finalize_cutover(sourceServerID=S1)
    assert get_app(client, web)["applicationAggregatedStatus"]["progressStatus"] == "COMPLETED"
    assert get_app(client, done)["applicationAggregatedStatus"]["progressStatus"] == "IN_PROGRESS"  # seeded CUTOVER
    assert get_wave(client, first)["waveAggregatedStatus"]["progressStatus"] == "IN_PROGRESS"
    client.associate_applications(waveID=first, applicationIDs=[stalled])
    assert get_wave(client, first)["waveAggregatedStatus"]["healthStatus"] == "ERROR"


def test_tags_on_applications_and_waves(client: Any) -> None:
    created = client.create_application(name="web", tags={"a": "1"})
    first = client.create_wave(name="first")
    for arn, before in ((created["arn"], {"a": "1"}), (first["arn"], {})):
        assert client.list_tags_for_resource(resourceArn=arn)["tags"] == before
        client.tag_resource(resourceArn=arn, tags={"b": "2"})
        assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {**before, "b": "2"}
        client.untag_resource(resourceArn=arn, tagKeys=["a", "b"])
        assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {}
        with pytest.raises(client.exceptions.ValidationException):
            client.tag_resource(resourceArn=arn, tags={f"k{n}": "v" for n in range(51)})
    client.tag_resource(resourceArn=first["arn"], tags={"phase": "1"})
    assert get_wave(client, first["waveID"])["tags"] == {"phase": "1"}
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn="arn:aws:mgn:us-east-1:111122223333:application/app-00000000000000000")
    client.delete_application(applicationID=created["applicationID"])
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=created["arn"])


def test_applications_live_in_the_account_and_region_of_the_call(emu: EmulatorServer, client: Any) -> None:
    other = "444455556666"
    created = client.create_application(name="web", accountID=other)
    assert created["arn"] == f"arn:aws:mgn:us-east-1:{other}:application/{created['applicationID']}"
    assert client.list_applications()["items"] == []
    assert [a["name"] for a in client.list_applications(accountID=other)["items"]] == ["web"]
    assert client.list_tags_for_resource(resourceArn=created["arn"])["tags"] == {}
    client.create_application(name="web")  # the same name in another account
    west = mgn_client(emu.url, region="eu-west-1")
    west.create_wave(name="first")
    assert [w["name"] for w in west.list_waves()["items"]] == ["first"] and client.list_waves()["items"] == []
    assert {(b.account_id, b.region) for b in emu.backends.all()} == {
        ("111122223333", "us-east-1"), (other, "us-east-1"), ("111122223333", "eu-west-1")
    }
    conflict(client, client.create_application, name="web", accountID=other)

