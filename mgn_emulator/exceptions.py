"""One small class per MGN error code; the HTTP status comes from the error shape in the model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mgn_emulator import spec


class MgnError(Exception):
    """An error MGN answers with; ``code`` is an error shape of the model (or a route-level code)."""

    code = "InternalServerException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def status(self) -> int:
        return spec.error_status(self.code)

    def body(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code}

    def headers(self) -> dict[str, str]:
        return {"x-amzn-ErrorType": self.code}


@dataclass(frozen=True)
class FieldProblem:
    name: str
    message: str


class ValidationError(MgnError):
    code = "ValidationException"

    def __init__(
        self, message: str, *, reason: str = "fieldValidationFailed", fields: Sequence[FieldProblem] = ()
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.fields = tuple(fields)

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["reason"] = self.reason
        if self.fields:
            body["fieldList"] = [{"name": f.name, "message": f.message} for f in self.fields]
        return body


def not_emulated(operation: str) -> ValidationError:
    return ValidationError(
        f"{operation} is not emulated by the local MGN emulator", reason="unknownOperation"
    )


@dataclass(frozen=True)
class ErrorDetail:
    code: str
    message: str
    resource_id: str = ""
    resource_type: str = "SOURCE_SERVER"


class ConflictError(MgnError):
    code = "ConflictException"

    def __init__(
        self,
        message: str,
        *,
        resource_id: str = "",
        resource_type: str = "",
        errors: Sequence[ErrorDetail] = (),
    ) -> None:
        super().__init__(message)
        self.resource_id = resource_id
        self.resource_type = resource_type
        self.errors = tuple(errors)

    def body(self) -> dict[str, Any]:
        body = super().body()
        if self.resource_id:
            body["resourceId"] = self.resource_id
        if self.resource_type:
            body["resourceType"] = self.resource_type
        if self.errors:
            body["errors"] = [
                {"code": e.code, "message": e.message, "resourceId": e.resource_id, "resourceType": e.resource_type}
                for e in self.errors
            ]
        return body


class ResourceNotFoundError(MgnError):
    code = "ResourceNotFoundException"

    def __init__(self, message: str, *, resource_id: str = "", resource_type: str = "") -> None:
        super().__init__(message)
        self.resource_id = resource_id
        self.resource_type = resource_type

    def body(self) -> dict[str, Any]:
        body = super().body()
        body.update({"resourceId": self.resource_id, "resourceType": self.resource_type})
        return body


class ThrottlingError(MgnError):
    code = "ThrottlingException"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        # ThrottlingException has no ``code`` member; retryAfterSeconds travels in the Retry-After header.
        return {"message": self.message, "serviceCode": "mgn", "quotaCode": "RequestRate"}

    def headers(self) -> dict[str, str]:
        return {**super().headers(), "Retry-After": str(self.retry_after)}


class AccessDeniedError(MgnError):
    code = "AccessDeniedException"


class UninitializedAccountError(MgnError):
    code = "UninitializedAccountException"


class InternalServerError(MgnError):
    code = "InternalServerException"

    def body(self) -> dict[str, Any]:
        return {"message": self.message}


class RouteNotFoundError(MgnError):
    """A path the MGN model does not define at all: JSON 404, never HTML."""

    code = "UnknownOperationException"

    @property
    def status(self) -> int:
        return 404


class HttpError(MgnError):
    """An answer outside the MGN model (protocol, sizes, admin routes): JSON with ``x-amzn-ErrorType`` all the same."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self._status = status

    @property
    def status(self) -> int:
        return self._status


class AdminForbiddenError(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(403, "AccessDeniedException", message)


class AdminRequestError(HttpError):
    """A malformed request to the ``/_emulator/`` admin routes."""

    def __init__(self, message: str, *, status: int = 400, code: str = "BadRequestException") -> None:
        super().__init__(status, code, message)


