from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("verify/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("setup/", views.OTPSetupView.as_view(), name="otp_setup"),
]
