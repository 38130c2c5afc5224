from rest_framework import serializers

from stores.models import Store


class StoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "status",
            "address_line",
            "postal_code",
            "city",
            "country",
            "latitude",
            "longitude",
            "email",
            "phone",
        ]
        read_only_fields = fields


class WhoAmISerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["user", "api_key"])
    email = serializers.EmailField(allow_blank=True)
    api_key = serializers.CharField(allow_null=True, help_text="The key's public prefix.")
    is_hq = serializers.BooleanField()
    stores = StoreSerializer(many=True)
