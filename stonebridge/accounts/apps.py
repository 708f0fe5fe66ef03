from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "stonebridge.accounts"
