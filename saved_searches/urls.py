from django.urls import path

from saved_searches import views

app_name = "saved_searches"

urlpatterns = [
    path("", views.saved_search_list, name="list"),
    path("new/", views.saved_search_create, name="create"),
    path("<int:pk>/", views.saved_search_open, name="open"),
    path("<int:pk>/rename/", views.saved_search_rename, name="rename"),
    path("<int:pk>/filters/", views.saved_search_update_filters, name="update-filters"),
    path("<int:pk>/schedule/", views.saved_search_schedule, name="schedule"),
    path("<int:pk>/alerts/", views.saved_search_alert_mode, name="alert-mode"),
    path("<int:pk>/pause/", views.saved_search_pause, name="pause"),
    path("<int:pk>/delete/", views.saved_search_delete, name="delete"),
    path("<int:pk>/refresh/", views.saved_search_refresh_now, name="refresh"),
    path("<int:pk>/status/", views.saved_search_status, name="status"),
    path("<int:pk>/share/", views.saved_search_share, name="share"),
    path("<int:pk>/copy/", views.saved_search_copy, name="copy"),
]
