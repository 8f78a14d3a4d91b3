from django.urls import path

from . import backoffice

app_name = "community_backoffice"
urlpatterns = [
    path("", backoffice.team_list, name="teams"),
    path("teams/<int:team_id>/", backoffice.team_page, name="team"),
    path("trainings/", backoffice.trainings, name="trainings"),
    path("adoption/", backoffice.adoption_page, name="adoption"),
    path("adoption.xlsx", backoffice.adoption_file, name="adoption_file"),
]
