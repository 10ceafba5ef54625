from django.urls import path

from preferences import views

app_name = "preferences"
urlpatterns = [
    path("density/", views.density, name="density"),
    path("account/", views.account, name="account"),
]
