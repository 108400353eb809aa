"""ADR 0010's one way to refuse, in the apps ``test_refusals_everywhere``
does not cover (marriage, funeral and burial, elderly care, special groups,
social organizations, charity …), on pages and in the API:

* the wrong role → 403 (pages: the Chinese 403 page; API: ``{"detail": …}`` in Chinese);
* an object outside the user's jurisdiction → 404 like a missing record, and
  the same request from a user whose jurisdiction covers it is 200.

One world for the whole module (``refusal_worlds``, through the apps'
services; the ``refusal_world`` fixture of this directory's conftest builds it
once and rolls it back at the end); each request runs in its own savepoint.
A channel without such a case is named in ``EXEMPT`` with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from minzheng.integration_tests import refusal_worlds
from minzheng.integration_tests.test_refusals_everywhere import APPS as FIRST_APPS
from minzheng.integration_tests.test_refusals_everywhere import Call, _request

FUNERAL_ORDER = {"deceased_name": "李大明", "deceased_id_number": "{death_id_number}", "death_date": "{today}",
                 "contact_name": "李小明", "contact_relation": "child", "contact_phone": "13812345678",
                 "items": [{"item_id": "{fn_item}", "quantity": 1}]}

SWEEPER = {"name": "祭扫人", "id_number": "{death_id_number}", "phone": "13812345678", "companions": 0}

LUNCH = {"id_number": "{ml_id_number}", "day": "2025-03-04", "slot": "lunch", "kind": "dine_in"}

WRONG_ROLE = [
    # dementia_care: auditors record nothing, advisors see no screening
    Call("dementia_care", False, "post", "/eldercare/dementia/{dc_ours}/referral/", "auditor",
         {"referral_to": "记忆门诊", "referred_on": "2026-01-05"}),
    Call("dementia_care", False, "get", "/eldercare/dementia/{dc_ours}/", "advisor"),
    Call("dementia_care", True, "get", "/api/v1/eldercare/dementia/screenings/{dc_ours}", "advisor"),
    Call("dementia_care", True, "post", "/api/v1/eldercare/dementia/screenings", "auditor",
         {"person_id": "{dc_person_ours}", "tool": "ad8", "score": 1, "screened_on": "2026-01-05",
          "screener": "社工", "risk_level": "low"}),
    # charity: advisors do not see supermarkets, auditors record no donation
    Call("charity", False, "get", "/charity/supermarkets/{ch_market_ours}/", "advisor"),
    Call("charity", False, "post", "/charity/donations/{ch_donation_ours}/reverse/", "auditor", {"reason": "录错"}),
    Call("charity", True, "get", "/api/v1/charity/supermarkets/{ch_market_ours}", "advisor"),
    Call("charity", True, "post", "/api/v1/charity/donations/{ch_donation_ours}/reversal", "auditor",
         {"reason": "录错"}),
    # children: advisors do not see the register, auditors end no child's record
    Call("children", False, "get", "/children/register/{cd_ours}/", "advisor"),
    Call("children", False, "post", "/children/register/{cd_ours}/end/", "auditor",
         {"ended_on": "2026-01-05", "reason": "成年"}),
    Call("children", True, "get", "/api/v1/children/children/{cd_ours}", "advisor"),
    Call("children", True, "post", "/api/v1/children/campaigns/{cd_year}/children/{cd_ours}/check", "auditor",
         {"checked_on": "2026-01-05", "answers": {}, "outcome": "unchanged"}),
    # care_facilities: committee staff see the register but keep none of it, advisors see none
    Call("care_facilities", False, "get", "/eldercare/facilities/{home_a}/edit/", "committee"),
    Call("care_facilities", False, "post", "/eldercare/facilities/{home_a}/status/", "auditor",
         {"status": "closed", "on": "2026-01-05"}),
    Call("care_facilities", True, "get", "/api/v1/eldercare/facilities/{home_a}", "advisor"),
    Call("care_facilities", True, "post", "/api/v1/eldercare/facilities/{home_a}/status", "committee",
         {"status": "closed", "on": "2026-01-05"}),
    # caregivers: committee staff do not see them, auditors add no training
    Call("caregivers", False, "get", "/eldercare/caregivers/{carer_a}/", "committee"),
    Call("caregivers", False, "post", "/eldercare/caregivers/{carer_a}/trainings/", "auditor",
         {"course": "初级护理", "hours": 40, "started_on": "2025-01-05", "ended_on": "2025-01-10"}),
    Call("caregivers", True, "get", "/api/v1/eldercare/caregivers/{carer_a}", "committee"),
    Call("caregivers", True, "post", "/api/v1/eldercare/caregivers/{carer_a}/trainings", "auditor",
         {"course": "初级护理", "hours": 40, "started_on": "2025-01-05", "ended_on": "2025-01-10"}),
    # care_homes: committee staff do not see institutions; street staff oversee but do not discharge
    Call("care_homes", False, "get", "/eldercare/institutions/{home_a}/", "committee"),
    Call("care_homes", False, "post", "/eldercare/institutions/residents/{resident_a}/discharge/", "street",
         {"discharged_on": "2026-01-05", "reason": "home"}),
    Call("care_homes", True, "get", "/api/v1/care-homes/{home_a}", "committee"),
    Call("care_homes", True, "post", "/api/v1/care-homes/residents/{resident_a}/discharge", "auditor",
         {"discharged_on": "2026-01-05", "reason": "home"}),
    # cemeteries: committee staff do not see them, auditors change nothing
    Call("cemeteries", False, "get", "/cemeteries/{cem_a}/", "committee"),
    Call("cemeteries", False, "post", "/cemeteries/{cem_a}/edit/", "auditor", {"name": "改名公墓"}),
    Call("cemeteries", True, "get", "/api/v1/cemeteries/{cem_a}", "committee"),
    # elder_alerts: advisors do not see the alerts, auditors close no task
    Call("elder_alerts", False, "get", "/eldercare/alerts/tasks/{alert_task_ours}/", "advisor"),
    Call("elder_alerts", False, "post", "/eldercare/alerts/tasks/{alert_task_ours}/", "auditor", {"outcome": "safe"}),
    Call("elder_alerts", True, "get", "/api/v1/elder-alerts/tasks/{alert_task_ours}", "advisor"),
    Call("elder_alerts", True, "post", "/api/v1/elder-alerts/tasks/{alert_task_ours}/close", "auditor",
         {"outcome": "safe"}),
    # hardship_visits: advisors do not see the visiting list, auditors record no visit
    Call("hardship_visits", False, "get", "/eldercare/visits/{visit_target_ours}/", "advisor"),
    Call("hardship_visits", False, "post", "/eldercare/visits/{visit_target_ours}/", "auditor",
         {"visited_on": "2026-01-05", "mode": "home", "findings": "身体尚好"}),
    Call("hardship_visits", True, "get", "/api/v1/eldercare/visits/targets/{visit_target_ours}", "advisor"),
    # (the role before the visitor is looked up: visitor 1 does not exist, which is no reason for a 404)
    Call("hardship_visits", True, "post", "/api/v1/eldercare/visits/targets/{visit_target_ours}/visits", "auditor",
         {"visited_on": "2026-01-05", "visitor_id": 1, "mode": "home", "findings": "身体尚好"}),
    # homeless_rescue: committee staff do not see rescues, auditors record no follow-up
    Call("homeless_rescue", False, "get", "/assistance/homeless/{rescue}/", "committee"),
    Call("homeless_rescue", False, "post", "/assistance/homeless/{rescue}/", "auditor",
         {"step": "follow_up", "on": "2026-01-05", "note": "已回访"}),
    Call("homeless_rescue", True, "get", "/api/v1/homeless/rescues/{rescue}", "advisor"),
    Call("homeless_rescue", True, "post", "/api/v1/homeless/rescues/{rescue}/follow-ups", "auditor",
         {"on": "2026-01-05", "note": "已回访"}),
    # (the role before the warning is looked up: a warning that does not exist is no reason for a 404)
    Call("homeless_rescue", True, "post", "/api/v1/homeless/campaigns", "street",
         {"name": "寒冬送温暖", "kind": "cold", "warning_id": 999999999, "starts_on": "2026-01-05"}),
    # home_adaptations: advisors do not see applications, committee staff do not process them
    Call("home_adaptations", False, "get", "/eldercare/adaptations/{adapt_ours}/", "advisor"),
    Call("home_adaptations", False, "post", "/eldercare/adaptations/{adapt_ours}/reject/", "committee",
         {"reason": "不符合条件"}),
    Call("home_adaptations", True, "get", "/api/v1/eldercare/adaptations/applications/{adapt_ours}", "advisor"),
    Call("home_adaptations", True, "post", "/api/v1/eldercare/adaptations/applications/{adapt_ours}/reject",
         "auditor", {"reason": "不符合条件"}),
    # disability_services: advisors do not see it, committee staff apply but do not approve, auditors do neither
    Call("disability_services", False, "get", "/disability/rental/applications/{aid_application}/", "advisor"),
    Call("disability_services", False, "post", "/disability/rental/applications/{aid_application}/approve/",
         "committee"),
    Call("disability_services", True, "get", "/api/v1/disability/rental/applications/{aid_application}", "advisor"),
    Call("disability_services", True, "post", "/api/v1/disability/rental/applications", "auditor",
         {"rental_id": "{aid_rental}", "applicant_relation": "self"}),
    # minors_protection: auditors and advisors never work protection cases
    Call("minors_protection", False, "get", "/minors/cases/{minors_case}/", "auditor"),
    Call("minors_protection", False, "post", "/minors/cases/{minors_case}/close/", "advisor",
         {"reason": "resolved", "closed_on": "2026-01-05"}),
    Call("minors_protection", True, "get", "/api/v1/minors/cases/{minors_case}", "advisor"),
    Call("minors_protection", True, "post", "/api/v1/minors/cases/{minors_case}/closure", "auditor",
         {"reason": "resolved", "closed_on": "2026-01-05"}),
    # supervision: committee staff do not see it, auditors record no inspection, operators see no plan
    Call("supervision", False, "get", "/eldercare/supervision/plans/{sv_plan}/", "committee"),
    Call("supervision", False, "post", "/eldercare/supervision/inspections/{sv_inspection_a}/record/", "auditor"),
    Call("supervision", True, "get", "/api/v1/supervision/plans/{sv_plan}", "carehome"),
    # social_orgs: street staff have no access; an organization's account applies but does not decide
    Call("social_orgs", False, "get", "/socialorgs/{so_a}/", "street"),
    Call("social_orgs", False, "post", "/socialorgs/matters/{so_matter_b}/accept/", "org-b", {"on": "{today}"}),
    Call("social_orgs", True, "get", "/api/v1/social-orgs/{so_a}", "street"),
    Call("social_orgs", True, "post", "/api/v1/social-orgs/{so_a}/status", "org-a",
         {"status": "revoked", "on": "2024-01-02", "reason": "违法"}),
    # deaths: advisors do not see deaths, committee staff neither verify nor report one
    Call("deaths", False, "get", "/deaths/{death}/", "advisor"),
    Call("deaths", False, "post", "/deaths/{death}/verify/", "committee", {"note": "核实无误"}),
    Call("deaths", True, "get", "/api/v1/deaths/{death}", "advisor"),
    Call("deaths", True, "post", "/api/v1/deaths/reports", "committee",
         {"source": "family", "id_number": "{death_id_number}", "name": "陈国强", "death_date": "{today}"}),
    # funeral: street staff do not see orders; the bureau looks but neither settles nor takes orders
    Call("funeral", False, "get", "/funeral/{fn_order}/", "street"),
    Call("funeral", False, "post", "/funeral/{fn_order}/settle/", "bureau"),
    Call("funeral", True, "get", "/api/v1/funeral/orders/{fn_order}", "street"),
    Call("funeral", True, "post", "/api/v1/funeral/orders", "bureau", FUNERAL_ORDER),
    # funeral_subsidies: committee staff do not see grants, street staff see but do not decide them
    Call("funeral_subsidies", False, "get", "/funeral-subsidies/{fs_grant}/", "committee"),
    Call("funeral_subsidies", False, "post", "/funeral-subsidies/{fs_grant}/refuse/", "street", {"reason": "不符合"}),
    Call("funeral_subsidies", True, "get", "/api/v1/funeral-subsidies/grants/{fs_grant}", "committee"),
    # marriage: nobody but the office's registrars sees a record or re-issues a certificate
    Call("marriage", False, "get", "/marriage/{mr_registration}/", "bureau"),
    Call("marriage", False, "post", "/marriage/certificates/{mr_certificate}/reissue/", "bureau", {"reason": "遗失"}),
    Call("marriage", True, "get", "/api/v1/marriage/registrations/{mr_registration}", "bureau"),
    Call("marriage", True, "post", "/api/v1/marriage/certificates/{mr_certificate}/reissue", "street",
         {"reason": "遗失"}),
    # sweeping: street staff do not see reservations, auditors book nothing
    Call("sweeping", False, "get", "/sweeping/periods/{sw_period}/", "street"),
    Call("sweeping", False, "post", "/sweeping/slots/{sw_slot}/book/", "auditor", SWEEPER),
    Call("sweeping", True, "get", "/api/v1/sweeping/slots?cemetery={cem_a}&date={sw_day}", "street"),
    Call("sweeping", True, "post", "/api/v1/sweeping/bookings", "auditor", {"slot": "{sw_slot}", **SWEEPER}),
    # meals: committee staff neither see settlements nor record meals, street staff do not approve
    Call("meals", False, "get", "/eldercare/meals/settlements/{ml_settlement_a}/", "committee"),
    Call("meals", False, "post", "/eldercare/meals/settlements/{ml_settlement_a}/approve/", "street"),
    Call("meals", True, "get", "/api/v1/meals/settlements/{ml_settlement_a}", "committee"),
    Call("meals", True, "post", "/api/v1/meals/canteens/{ml_canteen_a}/meals", "committee", LUNCH),
    # jobs: street staff follow only the jobs they started; auditors look but do not re-run
    Call("jobs", False, "get", "/jobs/{job}/", "street"),
    Call("jobs", False, "post", "/jobs/{job}/retry/", "auditor"),
    Call("jobs", True, "get", "/api/v1/jobs/{job}", "committee"),
    # workbench: the special groups' dashboard is not the advisors'
    Call("workbench", False, "get", "/special-groups/", "advisor"),
    # core: the audit log is the bureau's and the auditors'; only the bureau lists or revokes others' tokens
    Call("core", False, "get", "/core/audit/", "committee"),
    Call("core", True, "get", "/api/v1/auth/tokens?username=bureau", "street"),
]

OUT_OF_SCOPE = [
    Call("dementia_care", False, "get", "/eldercare/dementia/{dc_theirs}/", "street", control="other_street"),
    Call("dementia_care", False, "post", "/eldercare/dementia/{dc_theirs}/referral/", "committee",
         {"referral_to": "记忆门诊", "referred_on": "2026-01-05"}),
    Call("dementia_care", True, "get", "/api/v1/eldercare/dementia/screenings/{dc_theirs}", "street",
         control="other_street"),
    Call("dementia_care", True, "post", "/api/v1/eldercare/dementia/screenings", "committee",
         {"person_id": "{dc_person_theirs}", "tool": "ad8", "score": 1, "screened_on": "2026-01-05",
          "screener": "社工", "risk_level": "low"}),
    Call("charity", False, "get", "/charity/supermarkets/{ch_market_theirs}/", "committee", control="other_street"),
    Call("charity", False, "post", "/charity/donations/{ch_donation_theirs}/reverse/", "street", {"reason": "录错"}),
    Call("charity", True, "get", "/api/v1/charity/supermarkets/{ch_market_theirs}", "street",
         control="other_street"),
    Call("charity", True, "post", "/api/v1/charity/donations/{ch_donation_theirs}/reversal", "committee",
         {"reason": "录错"}),
    Call("children", False, "get", "/children/register/{cd_theirs}/", "committee", control="other_street"),
    Call("children", False, "post", "/children/register/{cd_theirs}/end/", "street",
         {"ended_on": "2026-01-05", "reason": "成年"}),
    Call("children", True, "get", "/api/v1/children/children/{cd_theirs}", "street", control="other_street"),
    Call("children", True, "post", "/api/v1/children/campaigns/{cd_year}/children/{cd_theirs}/check", "committee",
         {"checked_on": "2026-01-05", "answers": {}, "outcome": "unchanged"}),
    Call("care_facilities", False, "get", "/eldercare/facilities/{home_b}/", "street", control="other_street"),
    Call("care_facilities", False, "post", "/eldercare/facilities/{home_b}/status/", "street",
         {"status": "closed", "on": "2026-01-05"}),
    Call("care_facilities", True, "get", "/api/v1/eldercare/facilities/{home_b}", "street", control="other_street"),
    Call("care_facilities", True, "post", "/api/v1/eldercare/facilities/{home_b}/status", "street",
         {"status": "closed", "on": "2026-01-05"}),
    # a care operator sees only its own institution's caregivers, residents and records
    Call("caregivers", False, "get", "/eldercare/caregivers/{carer_b}/", "carehome", control="carehome2"),
    Call("caregivers", False, "post", "/eldercare/caregivers/{carer_b}/trainings/", "street",
         {"course": "初级护理", "hours": 40, "started_on": "2025-01-05", "ended_on": "2025-01-10"}),
    Call("caregivers", True, "get", "/api/v1/eldercare/caregivers/{carer_b}", "street", control="other_street"),
    Call("caregivers", True, "post", "/api/v1/eldercare/caregivers/{carer_b}/trainings", "carehome",
         {"course": "初级护理", "hours": 40, "started_on": "2025-01-05", "ended_on": "2025-01-10"}),
    Call("care_homes", False, "get", "/eldercare/institutions/{home_a}/", "carehome2", control="carehome"),
    Call("care_homes", False, "post", "/eldercare/institutions/residents/{resident_a}/discharge/", "carehome2",
         {"discharged_on": "2026-01-05", "reason": "home"}),
    Call("care_homes", True, "get", "/api/v1/care-homes/{home_a}", "other_street", control="street"),
    Call("care_homes", True, "post", "/api/v1/care-homes/residents/{resident_a}/discharge", "carehome2",
         {"discharged_on": "2026-01-05", "reason": "home"}),
    Call("cemeteries", False, "get", "/cemeteries/{cem_b}/", "street", control="other_street"),
    Call("cemeteries", False, "post", "/cemeteries/{cem_b}/edit/", "street", {"name": "改名公墓"}),
    Call("cemeteries", True, "get", "/api/v1/cemeteries/{cem_b}", "street", control="other_street"),
    Call("elder_alerts", False, "get", "/eldercare/alerts/tasks/{alert_task_theirs}/", "committee",
         control="other_street"),
    Call("elder_alerts", False, "post", "/eldercare/alerts/tasks/{alert_task_theirs}/", "street",
         {"outcome": "safe"}),
    Call("elder_alerts", True, "get", "/api/v1/elder-alerts/tasks/{alert_task_theirs}", "street",
         control="other_street"),
    Call("elder_alerts", True, "post", "/api/v1/elder-alerts/tasks/{alert_task_theirs}/close", "committee",
         {"outcome": "safe"}),
    Call("hardship_visits", False, "get", "/eldercare/visits/{visit_target_theirs}/", "committee",
         control="other_street"),
    Call("hardship_visits", False, "post", "/eldercare/visits/{visit_target_theirs}/", "street",
         {"visited_on": "2026-01-05", "mode": "home", "findings": "身体尚好"}),
    Call("hardship_visits", True, "get", "/api/v1/eldercare/visits/targets/{visit_target_theirs}", "street",
         control="other_street"),
    Call("hardship_visits", True, "post", "/api/v1/eldercare/visits/targets/{visit_target_theirs}/visits",
         "committee", {"visited_on": "2026-01-05", "visitor_id": 1, "mode": "home", "findings": "身体尚好"}),
    Call("homeless_rescue", False, "get", "/assistance/homeless/{rescue}/", "other_street", control="street"),
    Call("homeless_rescue", False, "post", "/assistance/homeless/{rescue}/", "other_street",
         {"step": "follow_up", "on": "2026-01-05", "note": "已回访"}),
    Call("homeless_rescue", True, "get", "/api/v1/homeless/rescues/{rescue}", "other_street", control="street"),
    Call("homeless_rescue", True, "post", "/api/v1/homeless/rescues/{rescue}/follow-ups", "other_street",
         {"on": "2026-01-05", "note": "已回访"}),
    Call("home_adaptations", False, "get", "/eldercare/adaptations/{adapt_theirs}/", "committee",
         control="other_street"),
    Call("home_adaptations", False, "post", "/eldercare/adaptations/{adapt_theirs}/reject/", "street",
         {"reason": "不符合条件"}),
    Call("home_adaptations", True, "get", "/api/v1/eldercare/adaptations/applications/{adapt_theirs}", "street",
         control="other_street"),
    Call("home_adaptations", True, "post", "/api/v1/eldercare/adaptations/applications/{adapt_theirs}/reject",
         "street", {"reason": "不符合条件"}),
    Call("disability_services", False, "get", "/disability/rental/applications/{aid_application}/", "other_street",
         control="street"),
    Call("disability_services", False, "post", "/disability/rental/applications/{aid_application}/approve/",
         "other_street"),
    Call("disability_services", True, "get", "/api/v1/disability/rental/applications/{aid_application}",
         "other_street", control="street"),
    Call("disability_services", True, "post", "/api/v1/disability/rental/applications", "other_street",
         {"rental_id": "{aid_rental}", "applicant_relation": "self"}),
    # a protection case is seen only by its assigned staff and the district office: not by the committee
    # that reported it, nor by another street
    Call("minors_protection", False, "get", "/minors/cases/{minors_case}/", "committee", control="street"),
    Call("minors_protection", False, "post", "/minors/cases/{minors_case}/close/", "other_street",
         {"reason": "resolved", "closed_on": "2026-01-05"}),
    Call("minors_protection", True, "get", "/api/v1/minors/cases/{minors_case}", "other_street", control="bureau"),
    Call("minors_protection", True, "post", "/api/v1/minors/cases/{minors_case}/closure", "committee",
         {"reason": "resolved", "closed_on": "2026-01-05"}),
    # an inspection of 泗泾镇's home is not 岳阳街道's, nor another institution's operator's
    Call("supervision", False, "get", "/eldercare/supervision/inspections/{sv_inspection_b}/", "street",
         control="other_street"),
    Call("supervision", False, "post", "/eldercare/supervision/inspections/{sv_inspection_b}/record/", "street"),
    Call("supervision", True, "get", "/api/v1/supervision/inspections/{sv_inspection_b}", "carehome",
         control="carehome2"),
    # an organization's account sees and works only for its own organization
    Call("social_orgs", False, "get", "/socialorgs/{so_b}/", "org-a", control="org-b"),
    Call("social_orgs", False, "post", "/socialorgs/matters/{so_matter_b}/documents/", "org-a",
         {"documents": "章程草案"}),
    Call("social_orgs", True, "get", "/api/v1/social-orgs-matters/{so_matter_b}", "org-a", control="org-b"),
    Call("social_orgs", True, "post", "/api/v1/social-orgs-matters", "org-a",
         {"kind": "change", "organization_id": "{so_b}", "applied_on": "{today}", "proposed": {"address": "某路3号"}}),
    # (a report at another street's window for a resident of 岳阳街道 is a rule, not a lookup: 422 naming
    # the street to go to, ADR 0023; so the API's out-of-scope case is the read)
    Call("deaths", False, "get", "/deaths/{death}/", "other_street", control="street"),
    Call("deaths", False, "post", "/deaths/{death}/verify/", "other_street", {"note": "核实无误"}),
    Call("deaths", True, "get", "/api/v1/deaths/{death}", "other_street", control="committee"),
    # a funeral-home account scoped to 泗泾镇: the district's home and its orders are not in its jurisdiction
    Call("funeral", False, "get", "/funeral/{fn_order}/", "funeral_sijing", control="funeral"),
    Call("funeral", False, "post", "/funeral/{fn_order}/cancel/", "funeral_sijing", {"reason": "家属取消"}),
    Call("funeral", True, "get", "/api/v1/funeral/orders/{fn_order}", "funeral_sijing", control="funeral"),
    Call("funeral", True, "post", "/api/v1/funeral/orders", "funeral_sijing", FUNERAL_ORDER),
    # (every write on grants is the bureau's, district-wide: the out-of-scope cases are reads)
    Call("funeral_subsidies", False, "get", "/funeral-subsidies/{fs_grant}/", "other_street", control="street"),
    Call("funeral_subsidies", True, "get", "/api/v1/funeral-subsidies/grants/{fs_grant}", "other_street",
         control="street"),
    Call("funeral_subsidies", True, "get", "/api/v1/funeral-subsidies/assess?person_id={fs_person}&death_date={today}",
         "other_street", control="street"),
    # a registrar of another district's office (青浦区) does not see 松江区's records
    Call("marriage", False, "get", "/marriage/{mr_registration}/", "registrar_qingpu", control="registrar"),
    Call("marriage", False, "post", "/marriage/certificates/{mr_certificate}/reissue/", "registrar_qingpu",
         {"reason": "遗失"}),
    Call("marriage", True, "get", "/api/v1/marriage/registrations/{mr_registration}", "registrar_qingpu",
         control="registrar"),
    Call("marriage", True, "post", "/api/v1/marriage/certificates/{mr_certificate}/reissue", "registrar_qingpu",
         {"reason": "遗失"}),
    # a cemeteries' staff account of 泗泾镇 does not see 岳阳街道's cemetery or its slots
    Call("sweeping", False, "post", "/sweeping/slots/{sw_slot}/book/", "cemetery_sijing", SWEEPER),
    Call("sweeping", True, "get", "/api/v1/sweeping/slots?cemetery={cem_a}&date={sw_day}", "cemetery_sijing",
         control="cemetery"),
    Call("sweeping", True, "post", "/api/v1/sweeping/bookings", "cemetery_sijing", {"slot": "{sw_slot}", **SWEEPER}),
    # a canteen's account works only for its own canteen
    Call("meals", False, "get", "/eldercare/meals/settlements/{ml_settlement_b}/", "canteen", control="other_street"),
    Call("meals", False, "post", "/eldercare/meals/canteens/{ml_canteen_b}/counter/", "canteen",
         {"who": "{ml_id_number}", "slot": "lunch", "kind": "dine_in", "day": "2025-03-04"}),
    Call("meals", True, "get", "/api/v1/meals/settlements/{ml_settlement_b}", "canteen", control="other_street"),
    Call("meals", True, "post", "/api/v1/meals/canteens/{ml_canteen_b}/meals", "street", LUNCH),
    # another user's API token is out of reach like a missing one (core.services.api_token_revoke)
    Call("core", True, "delete", "/api/v1/auth/tokens/{bureau_token}", "street"),
]

APPS = {"marriage", "deaths", "funeral", "funeral_subsidies", "cemeteries", "sweeping",
        "care_facilities", "care_homes", "caregivers", "supervision", "meals", "elder_alerts", "hardship_visits",
        "home_adaptations", "dementia_care", "children", "minors_protection", "disability_services",
        "homeless_rescue", "social_orgs", "charity", "jobs", "workbench", "core"}

# (app, channel, check) → why that app has no such case on that channel; channel "page" or "api",
# check "out_of_scope" (no out-of-scope call) or "write" (no write among the app's refused calls)
EXEMPT: dict[tuple[str, str, str], str] = {
    ("jobs", "page", "out_of_scope"): "jobs.view is district-wide (bureau, auditors); anyone else follows only "
                                      "the jobs they started and is refused another's for the role (403)",
    ("jobs", "api", "out_of_scope"): "as on the page: no job lies outside a viewer's jurisdiction",
    ("workbench", "page", "out_of_scope"): "the inbox and dashboards are narrowed to the jurisdiction; "
                                           "no object is looked up by id",
    ("workbench", "page", "write"): "the workbench only reads",
    ("workbench", "api", "wrong_role"): "no API",
    ("workbench", "api", "out_of_scope"): "no API",
    ("core", "page", "out_of_scope"): "the kernel's one page (the audit log) is the district's; tokens are "
                                      "per user (their API case is below)",
}

# directories of minzheng/ that are no app with pages or an API
NOT_APPS: dict[str, str] = {
    "demo": "seeds the demo district; no pages or API",
    "architecture": "import-boundary contracts; no pages or API",
}


@pytest.fixture
def world(refusal_world):
    return refusal_world


def test_every_app_is_covered_on_both_channels():
    root = Path(refusal_worlds.__file__).resolve().parents[1]
    with_channels = {p.parent.name for name in ("urls.py", "api.py", "views.py") for p in root.glob(f"*/{name}")}
    assert with_channels - APPS - FIRST_APPS - set(NOT_APPS) == set(), "an app no refusal test covers"
    assert not APPS & FIRST_APPS
    for check, calls in (("wrong_role", WRONG_ROLE), ("out_of_scope", OUT_OF_SCOPE)):
        covered = {(c.app, "api" if c.api else "page") for c in calls}
        for app in APPS:
            for channel in ("page", "api"):
                assert (app, channel) in covered or (app, channel, check) in EXEMPT, (app, channel, check)
    for app in APPS:  # a write and a read among each app's refusals
        kinds = {c.method == "get" for c in WRONG_ROLE + OUT_OF_SCOPE if c.app == app}
        assert kinds == {True, False} or (app, "page", "write") in EXEMPT, app
    for app, channel, check in EXEMPT:  # an exemption is not also covered
        calls = WRONG_ROLE if check == "wrong_role" else OUT_OF_SCOPE
        assert check == "write" or not [c for c in calls if c.app == app and c.api == (channel == "api")]


@pytest.mark.django_db
@pytest.mark.parametrize("call", WRONG_ROLE, ids=str)
def test_the_wrong_role_is_refused_with_403(world, call):
    response = _request(call, call.who, world)
    assert response.status_code == 403, response.content.decode()[:300]
    if call.api:
        detail = response.json()["detail"]
        assert detail and any("\u4e00" <= ch <= "\u9fff" for ch in detail)  # a Chinese reason
    else:
        page = response.content.decode()
        assert "无权办理" in page and "<html" in page


@pytest.mark.django_db
@pytest.mark.parametrize("call", OUT_OF_SCOPE, ids=str)
def test_out_of_scope_is_404_like_a_missing_record(world, call):
    response = _request(call, call.who, world)
    assert response.status_code == 404, response.content.decode()[:300]
    if call.api:
        assert response.json() == {"detail": response.json()["detail"], "code": "not_found", "problems": []}
    if call.control:
        assert _request(call, call.control, world).status_code == 200
