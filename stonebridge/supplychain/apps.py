from django.apps import AppConfig


class SupplychainConfig(AppConfig):
    name = "stonebridge.supplychain"
