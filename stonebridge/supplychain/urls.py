from django.urls import path

from stonebridge.downloads.listing import download_view

from . import exporting, imports, views

app_name = "supplychain"

urlpatterns = [
    path("o/<slug:org>/chain/", views.overview, name="overview"),
    path("o/<slug:org>/facilities/", views.facility_list, name="facilities"),
    path(
        "o/<slug:org>/facilities/export.<str:fmt>",
        download_view(exporting.FACILITIES),
        name="facility_export",
    ),
    path("o/<slug:org>/facilities/pick/", views.facility_pick, name="facility_pick"),
    path("o/<slug:org>/facilities/new/", views.facility_edit, name="facility_new"),
    path("o/<slug:org>/facilities/<id:facility_id>/", views.facility_detail, name="facility"),
    path(
        "o/<slug:org>/facilities/<id:facility_id>/edit/", views.facility_edit, name="facility_edit"
    ),
    path(
        "o/<slug:org>/facilities/<id:facility_id>/changes/<id:entry_id>/revert/",
        views.facility_revert,
        name="facility_revert",
    ),
    path(
        "o/<slug:org>/facilities/<id:facility_id>/disclosed/<id:share_id>/accept/",
        views.upstream_accept,
        name="upstream_accept",
    ),
    path("o/<slug:org>/facilities/<id:facility_id>/links/new/", views.link_new, name="link_new"),
    path(
        "o/<slug:org>/facilities/<id:facility_id>/sourcing/", views.sourcing_edit, name="sourcing"
    ),
    path("o/<slug:org>/links/<id:link_id>/delete/", views.link_delete, name="link_delete"),
    path("o/<slug:org>/imports/", imports.import_list, name="imports"),
    path(
        "o/<slug:org>/imports/export.<str:fmt>",
        download_view(exporting.IMPORT_JOBS),
        name="import_list_export",
    ),
    path("o/<slug:org>/imports/<id:import_id>/", imports.import_detail, name="import"),
    path("o/<slug:org>/imports/<id:import_id>/undo/", imports.import_undo, name="import_undo"),
    path(
        "o/<slug:org>/imports/<id:import_id>/decide/", imports.import_decide, name="import_decide"
    ),
    path(
        "o/<slug:org>/imports/template/<str:kind>.<str:ext>",
        imports.import_template,
        name="import_template",
    ),
    path("o/<slug:org>/export/<str:fmt>/", imports.export, name="export"),
]
