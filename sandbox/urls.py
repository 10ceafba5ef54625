from django.urls import path

from sandbox import views

urlpatterns = [
    path("v1/health", views.health, name="health"),
    path("v1/jobs/scoring", views.jobs_scoring, name="jobs-scoring"),
    path("v1/sources", views.sources, name="sources"),
    path("v1/source", views.source, name="source"),
    path("v1/boards", views.boards, name="boards"),
    path("v1/board", views.board, name="board"),
    path("v1/storing/profiles", views.storing_profiles, name="storing-profiles"),
    path("v1/profile/indexing", views.profile_indexing, name="profile-indexing"),
    path("v1/job/indexing", views.job_indexing, name="job-indexing"),
    path("v1/job/indexing/archive", views.job_archive, name="job-archive"),
]

# Even Django's own errors answer in HrFlow's JSON shape.
handler400 = "sandbox.errors.bad_request"
handler404 = "sandbox.errors.not_found"
handler500 = "sandbox.errors.server_error"
