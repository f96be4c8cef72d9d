from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from sadok.accounts.kyivid.provider import KyivIDProvider

urlpatterns = default_urlpatterns(KyivIDProvider)
