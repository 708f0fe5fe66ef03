from django.contrib.auth import views as auth_views
from django.urls import path

from stonebridge.downloads.listing import download_view

from . import exports, views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/login/verify/", views.login_verify, name="login_verify"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("account/", views.account, name="account"),
    path("account/erase/", views.account_erase, name="account_erase"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<id:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("language/", views.language, name="language"),
    path("o/<slug:org>/", views.organisation, name="organisation"),
    path("o/<slug:org>/audit/", views.audit_log, name="audit_log"),
    path(
        "o/<slug:org>/audit/export.<str:fmt>",
        download_view(exports.AUDIT_LOG),
        name="audit_log_export",
    ),
    path("o/<slug:org>/members/", views.members, name="members"),
    path(
        "o/<slug:org>/members/export.<str:fmt>",
        download_view(exports.MEMBERS),
        name="members_export",
    ),
    path("o/<slug:org>/members/<id:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "o/<slug:org>/members/<id:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "o/<slug:org>/invitations/<id:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
