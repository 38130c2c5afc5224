"""Request serializers that read a JSON body as JSON, so the API does what its schema says.

DRF reads every body as if it came from an HTML form: a text field takes the number 0 and keeps
"0", an integer field takes the string "5", a boolean takes 1 or "yes", a related field takes ""
for null. From a form (or a query string) everything is text, so that leniency is needed there;
in a JSON body it lets through values of the wrong type that the schema refuses. `JsonTyped`
refuses them in JSON bodies only, with DRF's own messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.http import QueryDict
from rest_framework import serializers

# (field class, the JSON types it takes); the first class a field is an instance of decides.
JSON_TYPES: tuple[tuple[type[serializers.Field], tuple[type, ...]], ...] = (
    (serializers.BooleanField, (bool,)),
    (serializers.CharField, (str,)),
    (serializers.IntegerField, (int,)),
)


def _wrong_type(field: serializers.Field, value: Any) -> bool:
    for field_class, json_types in JSON_TYPES:
        if isinstance(field, field_class):
            if isinstance(value, bool) and bool not in json_types:
                return True
            if int in json_types and isinstance(value, float):
                return not value.is_integer()  # JSON's 5.0 is the integer 5
            return not isinstance(value, json_types)
    return False


class JsonTyped:
    """Mixed into a request serializer (before `serializers.Serializer`): in a JSON body, a
    boolean, text or integer field refuses a value of another JSON type."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            fields = cast(serializers.Serializer, self).fields
            errors = {
                name: [field.error_messages["invalid"].format(input=data[name])]
                for name, field in fields.items()
                if not field.read_only
                and data.get(name) is not None
                and _wrong_type(field, data[name])
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


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
