from django.urls import path

from stonebridge.downloads.listing import download_view

from . import actions, collective_views, exports, views, workspace, workspace_exports

app_name = "engagement"

B = "o/<slug:org>/engagement/"
W = "o/<slug:org>/workspace/"

urlpatterns = [
    # The buyer's side.
    path(B, views.dashboard, name="dashboard"),
    path(f"{B}export.<str:fmt>", download_view(exports.SUPPLIERS), name="suppliers_export"),
    path(f"{B}new/", views.relationship_create, name="relationship_create"),
    path(f"{B}code/", views.codes, name="codes"),
    path(f"{B}<id:relationship_id>/", views.relationship, name="relationship"),
    path(f"{B}<id:relationship_id>/edit/", views.relationship_edit, name="relationship_edit"),
    path(f"{B}<id:relationship_id>/invite/", views.supplier_invite, name="supplier_invite"),
    path(f"{B}<id:relationship_id>/send-code/", views.code_send, name="code_send"),
    path(f"{B}<id:relationship_id>/plans/new/", views.plan_create, name="plan_create"),
    path(f"{B}<id:relationship_id>/requests/new/", views.request_create, name="request_create"),
    path(f"{B}<id:relationship_id>/support/new/", views.support_record, name="support_record"),
    path(f"{B}<id:relationship_id>/purchasing/", views.purchasing, name="purchasing"),
    path(f"{B}<id:relationship_id>/escalate/", views.escalate, name="escalate"),
    path(f"{B}<id:relationship_id>/exit/", views.exit_plan, name="exit_plan"),
    path(f"{B}<id:relationship_id>/exit/complete/", views.exit_complete, name="exit_complete"),
    path(f"{B}plans/<id:plan_id>/", views.plan, name="plan"),
    path(f"{B}plans/<id:plan_id>/actions/new/", views.action_create, name="action_create"),
    path(f"{B}plans/<id:plan_id>/close/", views.plan_close, name="plan_close"),
    path(f"{B}actions/<id:action_id>/", actions.action, name="action"),
    path(f"{B}actions/<id:action_id>/edit/", actions.action_edit, name="action_edit"),
    path(f"{B}actions/<id:action_id>/comment/", actions.action_comment, name="action_comment"),
    path(f"{B}actions/<id:action_id>/verify/", actions.action_verify, name="action_verify"),
    path(f"{B}actions/<id:action_id>/cancel/", actions.action_cancel, name="action_cancel"),
    path(f"{B}actions/<id:action_id>/measures/new/", actions.measure_add, name="measure_add"),
    path(f"{B}measures/<id:measure_id>/targets/", actions.measure_targets, name="measure_targets"),
    path(f"{B}measures/<id:measure_id>/reading/", actions.reading_record, name="reading_record"),
    path(f"{B}measures/<id:measure_id>/achieved/", actions.milestone_achieve, name="milestone"),
    path(f"{B}readings/<id:reading_id>/confirm/", actions.reading_confirm, name="reading_confirm"),
    path(f"{B}due-dates/<id:change_id>/", actions.due_date_decide, name="due_date_decide"),
    path(f"{B}files/<id:attachment_id>/", actions.attachment, name="attachment"),
    # Collective leverage with the suppliers a covenant's members share.
    path(f"{B}together/", collective_views.collective_home, name="collective_home"),
    path(f"{B}together/sharing/", collective_views.collective_sharing, name="collective_sharing"),
    path(f"{B}together/new/", collective_views.collective_propose, name="collective_propose"),
    path(f"{B}together/<id:collective_id>/", collective_views.collective, name="collective"),
    path(
        f"{B}together/<id:collective_id>/join/",
        collective_views.collective_join,
        name="collective_join",
    ),
    path(
        f"{B}together/<id:collective_id>/leave/",
        collective_views.collective_leave,
        name="collective_leave",
    ),
    path(
        f"{B}together/<id:collective_id>/close/",
        collective_views.collective_close,
        name="collective_close",
    ),
    path(
        f"{B}together/<id:collective_id>/steps/new/",
        collective_views.joint_action_add,
        name="joint_action_add",
    ),
    path(
        f"{B}together/<id:collective_id>/steps/<id:joint_action_id>/done/",
        collective_views.joint_action_done,
        name="joint_action_done",
    ),
    # The supplier's workspace: what every buyer shares with it, in one place.
    path(W, workspace.home, name="workspace_home"),
    path(f"{W}history/", workspace.history, name="workspace_history"),
    path(
        f"{W}history/export.<str:fmt>",
        download_view(workspace_exports.HISTORY),
        name="workspace_history_export",
    ),
    path(
        f"{W}export/buyers.<str:fmt>",
        download_view(workspace_exports.BUYERS),
        name="workspace_buyers_export",
    ),
    path(
        f"{W}export/plans.<str:fmt>",
        download_view(workspace_exports.PLANS),
        name="workspace_plans_export",
    ),
    path(
        f"{W}export/actions.<str:fmt>",
        download_view(workspace_exports.ACTIONS),
        name="workspace_actions_export",
    ),
    path(
        f"{W}export/requests.<str:fmt>",
        download_view(workspace_exports.REQUESTS),
        name="workspace_requests_export",
    ),
    path(f"{W}<id:relationship_id>/sharing/", workspace.sharing, name="workspace_sharing"),
    path(f"{W}code/<id:commitment_id>/", workspace.commitment, name="workspace_commitment"),
    path(f"{W}plans/<id:plan_id>/", workspace.plan, name="workspace_plan"),
    path(f"{W}actions/<id:action_id>/", workspace.action, name="workspace_action"),
    path(f"{W}actions/<id:action_id>/report/", workspace.report, name="workspace_report"),
    path(f"{W}actions/<id:action_id>/due-date/", workspace.due_date, name="workspace_due_date"),
    path(f"{W}measures/<id:measure_id>/reading/", workspace.reading, name="workspace_reading"),
    path(f"{W}requests/<id:request_id>/", workspace.request_answer, name="workspace_request"),
    path(f"{W}<id:relationship_id>/disclose/", workspace.disclose, name="workspace_disclose"),
    path(f"{W}<id:relationship_id>/workforce/", workspace.workforce, name="workspace_workforce"),
    path(f"{W}<id:relationship_id>/upstream/", workspace.upstream, name="workspace_upstream"),
    path(f"{W}files/<id:attachment_id>/", workspace.attachment, name="workspace_attachment"),
]
