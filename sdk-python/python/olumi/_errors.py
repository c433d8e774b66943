"""The exception hierarchy. The native module maps every core error kind to exactly one class here
(`src/errors.rs`, one function); `docs/errors.md` is the table."""

from __future__ import annotations

import builtins
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "CancelledError",
    "ConfigError",
    "DecodeError",
    "IntegrityError",
    "InternalError",
    "InternalServerError",
    "NetworkError",
    "NotFoundError",
    "OlumiError",
    "RateLimitError",
    "SignatureError",
    "SignatureRejectedError",
    "StreamError",
    "TimeoutError",
]


class OlumiError(Exception):
    """Every error the SDK raises.

    ``code`` is a stable string: the error kind's code (``ERR_TIMEOUT``, ``ERR_CONFIG``, ...), or for
    an `APIError` the service's own code (``RATE_LIMITED``, ``HTTP_404``, ...). ``kind`` is always the
    kind's code. ``retryable`` tells whether the same call may succeed if retried (the client has
    already retried what its policy allows).
    """

    kind_code: str = "ERR_UNKNOWN"

    def __init__(
        self, message: str, *, code: str | None = None, kind: str | None = None, retryable: bool = False
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.kind: str = kind if kind is not None else self.kind_code
        self.code: str = code if code is not None else self.kind
        self.retryable: bool = retryable


class ConfigError(OlumiError, ValueError):
    """Bad client options or a request of the wrong shape (the message names the field)."""

    kind_code = "ERR_CONFIG"


class SignatureRejectedError(OlumiError):
    """A server-side signature check rejected a request (mock server and verifier use only)."""

    kind_code = "ERR_SIGNATURE_REJECTED"


class IntegrityError(OlumiError):
    """A response body does not match its ``x-olumi-response-hash``."""

    kind_code = "ERR_INTEGRITY"


class DecodeError(OlumiError):
    """A body is not valid JSON, or not of the expected shape."""

    kind_code = "ERR_DECODE"


class NetworkError(OlumiError):
    """The connection failed or broke."""

    kind_code = "ERR_NETWORK"


class TimeoutError(OlumiError, builtins.TimeoutError):
    """A connect, request or total-deadline limit was hit (also a builtin `TimeoutError`)."""

    kind_code = "ERR_TIMEOUT"


class StreamError(OlumiError):
    """A stream failed: idle timeout, truncation, or undecodable events, after recovery failed."""

    kind_code = "ERR_STREAM"


class CancelledError(OlumiError):
    """The operation was cancelled."""

    kind_code = "ERR_CANCELLED"


class InternalError(OlumiError):
    """A bug inside the SDK: a panic in its native code, caught before it reached Python.

    An ordinary `Exception` (``except Exception`` catches it), never retryable. The message carries
    the panic's text; please report it. Not to be confused with `InternalServerError`, a 5xx from
    the service.
    """

    kind_code = "ERR_INTERNAL"


class APIError(OlumiError):
    """The service answered with an error. ``code`` is the service's code."""

    kind_code = "ERR_API"

    def __init__(
        self,
        text: str,
        *,
        code: str | None = None,
        kind: str | None = None,
        retryable: bool = False,
        status: int = 0,
        message: str = "",
        details: Any = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(text, code=code, kind=kind, retryable=retryable)
        self.status: int = status
        self.message = message
        self.details: Any = details
        self.request_id: str | None = request_id
        self.retry_after: float | None = retry_after


class AuthenticationError(APIError):
    """401/403: a missing or unknown API key, or a refused signature."""


class SignatureError(AuthenticationError):
    """403 ``INVALID_SIGNATURE``, ``SIGNATURE_SKEW`` or ``REPLAY_BLOCKED``."""


class RateLimitError(APIError):
    """429, or the service's 500 with ``retry-after``; ``retry_after`` says how long to wait."""


class BadRequestError(APIError):
    """400, 413, 422: the service refused the request's content."""


class NotFoundError(APIError):
    """404 (also a route the service has not enabled, such as the evidence pack)."""


class InternalServerError(APIError):
    """5xx."""
