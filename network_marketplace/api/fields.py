"""Serializer fields that read JSON as JSON: what DRF accepts from HTML forms (1 for true, ""
for null) is refused where the schema says the body is JSON, so the API does what it documents."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class JsonBooleanField(serializers.BooleanField):
    """`true` or `false` only: not DRF's 1, 0, "yes" or "on"."""

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)
        raise AssertionError  # fail() raises


class JsonSlugRelatedField(serializers.SlugRelatedField):
    """A slug, or null where null is allowed: an empty string is refused, not read as null."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "blank": serializers.CharField.default_error_messages["blank"],
    }

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data == "":
            self.fail("blank")
        return super().run_validation(data)


class JsonCharField(serializers.CharField):
    """A JSON string: not DRF's number read as its digits (0 stored as "0")."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
