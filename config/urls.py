from django.contrib.auth import views as auth_views
from django.urls import include, path

from minzheng.api import api
from minzheng.core import views as core_views
from minzheng.registry import views as registry_views
from minzheng.workbench import views as workbench_views

urlpatterns = [
    path("", workbench_views.home, name="home"),
    path("special-groups/", workbench_views.special_groups, name="special_groups"),
    path("registry/overview/", registry_views.home, name="registry_overview"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("core/", include("minzheng.core.urls")),
    path("registry/", include("minzheng.registry.urls")),
    path("policy/", include("minzheng.eligibility.urls")),
    path("feeds/", include("minzheng.feeds.urls")),
    path("cases/", include("minzheng.casework.urls")),
    path("verification/", include("minzheng.verification.urls")),
    path("monitoring/", include("minzheng.monitoring.urls")),
    path("payments/", include("minzheng.payments.urls")),
    path("marriage/", include("minzheng.marriage.urls")),
    path("jobs/", include("minzheng.jobs.urls")),
    path("bookings/", include("minzheng.bookings.urls")),
    path("deaths/", include("minzheng.deaths.urls")),
    path("funeral-subsidies/", include("minzheng.funeral_subsidies.urls")),
    path("cemeteries/", include("minzheng.cemeteries.urls")),
    path("sweeping/", include("minzheng.sweeping.urls")),
    # marriage registry office: group ceremonies and statistics (ADR 0022)
    path("marriage/", include("minzheng.marriage.office_urls")),
    # funeral services (白事管家, ADR 0024)
    path("funeral/", include("minzheng.funeral.urls")),
    # elderly care (养老服务, issues 15 and 16)
    path("eldercare/facilities/", include("minzheng.care_facilities.urls")),
    path("eldercare/institutions/", include("minzheng.care_homes.urls")),
    path("eldercare/supervision/", include("minzheng.supervision.urls")),
    path("eldercare/caregivers/", include("minzheng.caregivers.urls")),
    path("eldercare/meals/", include("minzheng.meals.urls")),
    path("eldercare/alerts/", include("minzheng.elder_alerts.urls")),
    path("eldercare/visits/", include("minzheng.hardship_visits.urls")),
    path("children/", include("minzheng.children.urls")),
    path("assistance/homeless/", include("minzheng.homeless_rescue.urls")),
    path("eldercare/adaptations/", include("minzheng.home_adaptations.urls")),
    path("eldercare/dementia/", include("minzheng.dementia_care.urls")),
    path("disability/", include("minzheng.disability_services.urls")),
    path("minors/", include("minzheng.minors_protection.urls")),
    # charity supermarkets and welfare-lottery figures (慈善超市、福利彩票, ADR 0040)
    path("charity/", include("minzheng.charity.urls")),
    # social organizations (社会组织登记管理, issue 18, ADR 0039)
    path("socialorgs/", include("minzheng.social_orgs.urls")),
    path("api/", api.urls),
]
handler500 = "minzheng.core.views.server_error"
