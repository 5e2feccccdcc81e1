"""Sinks: where forwarded cases go (JSONL file, RabbitMQ queue, signed webhook)."""

from intake.sinks.amqp import AmqpSink
from intake.sinks.base import Delivery, Sink, describe
from intake.sinks.jsonl import JsonlSink, read_messages
from intake.sinks.webhook import (
    KEY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookError,
    WebhookSink,
    sign,
    verify_signature,
)

__all__ = [
    "KEY_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "AmqpSink",
    "Delivery",
    "JsonlSink",
    "Sink",
    "WebhookError",
    "WebhookSink",
    "describe",
    "read_messages",
    "sign",
    "verify_signature",
]
