"""The plugin's gRPC server: the SDK's provider servicer, with the package's errors reaching the CLI as their sentence.

The SDK's servicer (``pulumi.provider.experimental.server.ProviderServicer``) answers an exception from a provider
method with ``Exception(f"{error}:\\n{stack}")``, so the CLI would print the stack through the SDK and this package
after the sentence that matters. ``PlainErrors``, a gRPC server interceptor (public gRPC API, nothing of the SDK's
replaced), aborts such a call with the sentence alone for the package's own errors (its names as this face spells
them: ``plugin_text``) and leaves anything else as the SDK answers it (a bug needs its stack). ``serve`` is the SDK's
``server.main`` with the interceptor: the same arguments, the port on stdout, the servicer served as it is; and it
ends the process once the engine that started it is gone (``lifecycle/engine_watch.py``), which the SDK's does not.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import grpc.aio
from pulumi.provider.experimental.provider import Provider
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime.proto import provider_pb2_grpc

from ..errors import MgnCutoverError
from ..lifecycle.engine_watch import engine_answers, parse_address, watch_engine
from ..quick_exit import exit_without_collecting
from .text import plugin_text

#: Seconds the calls in flight have to answer once the plugin is told to stop (the engine kills it after 5 s).
STOP_GRACE_SECONDS = 3.0
#: As the SDK's own server: messages up to 400 MiB, and a call may wait up to half an hour before it is read.
GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.server_max_unrequested_time_in_server", 30 * 60),
]

UnaryCall = Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]


def user_error(exc: BaseException) -> MgnCutoverError | None:
    """The package's error ``exc`` is, or the one the SDK wrapped in a plain ``Exception`` with its stack."""
    if isinstance(exc, MgnCutoverError):
        return exc
    inner = exc.__context__
    if type(exc) is Exception and isinstance(inner, MgnCutoverError) and str(exc).startswith(str(inner)):
        return inner
    return None


def _plain_errors(call: UnaryCall) -> UnaryCall:
    async def answer(request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await call(request, context)
        except Exception as exc:
            error = user_error(exc)
            if error is None:
                raise
            await context.abort(grpc.StatusCode.UNKNOWN, plugin_text(str(error)))

    return answer


class PlainErrors(grpc.aio.ServerInterceptor):
    """Every unary call of the provider answers the package's errors with their sentence alone."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        return grpc.unary_unary_rpc_method_handler(
            _plain_errors(handler.unary_unary),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def engine_address(args: list[str]) -> str:
    """The engine's address among the plugin's arguments, read as the SDK's server reads it ("" if none)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("engine", nargs="?", default="")
    parser.add_argument("--logflow", action="store_true")
    parser.add_argument("--logtostderr", action="store_true")
    known, _ = parser.parse_known_args(args)
    return str(known.engine)


def serve(args: list[str], version: str, provider: Provider) -> None:
    """Serve ``provider`` on a free loopback port, printed on stdout, until the engine stops the plugin.

    The engine stops a plugin with SIGINT (then SIGKILL after 5 s): the provider is cancelled first, as by the
    engine's Cancel, so a waiting create answers with its sentence (the job goes on, the next up adopts it) and the
    process ends within seconds rather than when the job does.
    """

    async def run() -> None:
        server = grpc.aio.server(options=GRPC_OPTIONS, interceptors=[PlainErrors()])
        servicer = ProviderServicer(args, version, provider, engine_address=engine_address(args))
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        stopping = asyncio.Event()
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(stop_signal, stopping.set)
        await server.start()
        sys.stdout.buffer.write(f"{port}\n".encode())
        sys.stdout.buffer.flush()
        await stopping.wait()
        await provider.cancel()
        await server.stop(grace=STOP_GRACE_SECONDS)

    exit_with_engine(engine_address(args))
    exit_without_collecting()
    asyncio.run(run())


def exit_with_engine(address_text: str) -> None:
    """Watch the engine at ``address_text`` if it answers now; a plugin started by hand (no engine) is left alone."""
    address = parse_address(address_text)
    if address is None or not engine_answers(address):
        return
    watch = threading.Thread(target=watch_engine, args=(address, "mgn plugin"), name="mgn-engine-watch", daemon=True)
    watch.start()
