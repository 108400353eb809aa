"""``minzheng demo-setup``: what ``make run`` needs after migrating.

Loads the jurisdiction tree, the demo district (unless already there), one
demo account per role (the advisor assigned to the street's first three
committees), and runs the current month's monitoring so the workspace has
a caseload (most of those eligible for application programs, as if brought
over from the old system), leads for the rest and no-application enrolments, and gives demo persons
synthetic payee accounts so payment batches can run, and sets up the marriage
registration office's booking slots (``demo.bookings``). Then prints the logins. Safe to
run again: nothing is duplicated.
"""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from minzheng.casework.models import Enrolment, EnrolmentSource
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.services import division_load_tree, user_ensure
from minzheng.demo.bookings import bookings_seed
from minzheng.demo.care_assessments import care_assessments_seed
from minzheng.demo.care_facilities import care_facilities_seed, facility_staff_seed
from minzheng.demo.care_homes import care_homes_seed
from minzheng.demo.caregivers import caregivers_seed
from minzheng.demo.caseload import enrolments_seed_demo_caseload
from minzheng.demo.cemeteries import cemeteries_seed
from minzheng.demo.charity import charity_seed
from minzheng.demo.children import children_seed
from minzheng.demo.deaths import deaths_seed
from minzheng.demo.disability_services import disability_services_seed
from minzheng.demo.elder_alerts import elder_alerts_seed
from minzheng.demo.eldercare_services import eldercare_services_seed
from minzheng.demo.funeral import funeral_seed
from minzheng.demo.funeral_subsidies import funeral_subsidies_seed
from minzheng.demo.homeless_rescue import homeless_rescue_seed
from minzheng.demo.job_loss import job_loss_scenario_seed
from minzheng.demo.marriage import appointments_for_today_seed, marriage_archive_seed
from minzheng.demo.meals import meals_seed
from minzheng.demo.minors import minors_seed
from minzheng.demo.social_org_events import social_org_events_seed
from minzheng.demo.social_org_grades import social_org_grades_seed
from minzheng.demo.social_org_zombies import social_org_zombies_seed
from minzheng.demo.social_orgs import social_orgs_seed
from minzheng.demo.supervision import supervision_seed
from minzheng.demo.support_funds import support_funds_seed
from minzheng.demo.sweeping import sweeping_seed
from minzheng.demo.workload import workload_seed
from minzheng.jobs.services import job_run_now
from minzheng.monitoring.models import AdvisorAssignment
from minzheng.monitoring.services import advisor_assignment_create
from minzheng.payments.services import accounts_synthesise

DEMO_PASSWORD = "minzheng-demo"
CASELOAD_PROGRAMS = ("dibao", "low_income", "extreme_poverty", "disability_living_subsidy", "disability_care_subsidy",
                     "elderly_care_subsidy")


class Command(BaseCommand):
    help = "准备演示环境：区划、演示人口和各角色演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, **opts):
        if not Division.objects.filter(level=DivisionLevel.DISTRICT).exists():
            division_load_tree(actor="demo-setup")
        call_command("demo_data", persons=opts["persons"], seed=opts["seed"], stdout=self.stdout)
        street = Division.objects.get(code="310117001")
        committee = Division.objects.filter(parent=street, level=DivisionLevel.COMMITTEE).order_by("code").first()
        accounts = [  # synthetic staff: a name and a post for the documents they sign
            ("bureau", "bureau", "310117", "陈建华", "松江区民政局社会救助科 科员"),
            ("checker", "bureau", "310117", "周丽萍", "松江区民政局社会救助科 副科长"),
            ("approver", "bureau", "310117", "吴国强", "松江区民政局 副局长"),
            ("street", "street", street.code, "李晓燕", f"{street.name}社区事务受理服务中心 社会救助专员"),
            ("committee", "committee", committee.code if committee else street.code, "张美华",
             f"{committee.name if committee else street.name} 社工"),
            ("advisor", "advisor", street.code, "刘志明", f"{street.name} 社区救助顾问"),
            ("auditor", "auditor", "310117", "孙卫东", "松江区民政局 审计督查"),
            ("registrar", "registrar", "310117", "王丽", "松江区民政局婚姻登记处 婚姻登记员"),
            ("funeral", "funeral_home", "310117", "赵敏", "松江区殡仪馆 殡仪服务员"),
            ("cemetery", "cemetery", "310117", "钱伟", "松江区公墓 祭扫服务员"),
            ("carehome", "care_operator", "310117", "郑秀英", "松江区社会福利院 院长助理"),
            ("canteen", "canteen", "310117", "冯建国", "长者食堂 助餐服务员"),
            ("socorg", "organization", "310117", "黄志强", "社会组织 秘书长"),
        ]
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role, scope, name, post in accounts:
            user = user_ensure(actor="demo-setup", username=username, password=DEMO_PASSWORD, role=role,
                               scope_code=scope, full_name=name, post=post)
            self.stdout.write(f"  {user.username:<10} {user.get_role_display():<8} 辖区 {user.scope.name}（{user.scope_id}）")
        self._assign_advisor(street)
        # elders' care-needs assessments (养老服务补贴, ADR 0031), before the month's batch reads them
        self.stdout.write(care_assessments_seed(seed=opts["seed"]))
        month = timezone.localdate().strftime("%Y-%m")
        # as a job (ADR 0017), so the demo district shows a finished 动态监测 on the jobs page
        _job, outcome = job_run_now(actor="demo-setup", kind="monitoring_run",
                                    params={"month": month, "reuse_batch": self._seed_caseload(month)})
        run = outcome.value
        self.stdout.write(f"\n{month} 动态监测：{run.counts}")
        accounts = accounts_synthesise(actor="demo-setup")
        if accounts:
            self.stdout.write(f"为演示人员生成合成代发账户 {accounts} 个（仅演示数据）")
        self.stdout.write(job_loss_scenario_seed(bureau=User.objects.get(username="bureau"),
                                                 committee_user=User.objects.get(username="committee")))
        self.stdout.write(workload_seed())
        self.stdout.write(bookings_seed())
        # the marriage registry office: its archive since 2023 (the report's 2023 figures) and today's work
        registrar = User.objects.get(username="registrar")
        self.stdout.write(marriage_archive_seed(registrar=registrar, seed=opts["seed"]).message)
        self.stdout.write(appointments_for_today_seed(registrar=registrar, today=timezone.localdate(),
                                                      seed=opts["seed"]))
        # the year's deaths (ADR 0023), after the payment batches exist so paid months are recovered;
        # its last step runs the daily job 部门死亡数据入库 on the police file it imports
        self.stdout.write(deaths_seed(persons=opts["persons"], seed=opts["seed"]))
        # funeral and burial subsidies (免申即享, ADR 0027) from the demo's recorded deaths
        self.stdout.write(funeral_subsidies_seed(bureau=User.objects.get(username="bureau"), seed=opts["seed"]))
        # cemeteries and columbaria, price caps and last year's inspections (demo data, ADR 0025)
        self.stdout.write(cemeteries_seed(bureau=User.objects.get(username="bureau"), today=timezone.localdate()))
        # the funeral home on 白事管家 (ADR 0024): catalogue (demo prices), halls, a year of orders
        self.stdout.write(funeral_seed(clerk=User.objects.get(username="funeral"),
                                       bureau=User.objects.get(username="bureau"), persons=opts["persons"],
                                       seed=opts["seed"]))
        # tomb-sweeping peaks (清明, 冬至), reservations and proxy orders on the demo cemeteries (ADR 0026)
        self.stdout.write(sweeping_seed(bureau=User.objects.get(username="bureau"),
                                        cemetery_staff=User.objects.get(username="cemetery"),
                                        today=timezone.localdate(), persons=opts["persons"], seed=opts["seed"]))
        # the elderly-care facility network (2024 targets partly met), staff links and caregivers (ADR 0028);
        # the other elderly-care loaders run after this one and pick facilities by kind
        self.stdout.write(care_facilities_seed(today=timezone.localdate(), seed=opts["seed"]))
        self.stdout.write(facility_staff_seed(carehome=User.objects.get(username="carehome"),
                                              canteen=User.objects.get(username="canteen")))
        self.stdout.write(caregivers_seed(today=timezone.localdate(), seed=opts["seed"]))
        # the 2024 双随机 inspection of the demo's care institutions (demo data, ADR 0030)
        self.stdout.write(supervision_seed(bureau=User.objects.get(username="bureau"),
                                           approver=User.objects.get(username="approver"),
                                           street=User.objects.get(username="street"), today=timezone.localdate()))
        # care institutions from the inside (ADR 0029): rooms, beds, residents, staff, incidents of every
        # 养老院 the facilities demo registered — keep this after the facilities demo (nothing to do before it)
        self.stdout.write(care_homes_seed(today=timezone.localdate(), seed=opts["seed"]))
        # visits to elders in special hardship, home adaptations, dementia screenings (demo data, ADR 0034)
        self.stdout.write(eldercare_services_seed(today=timezone.localdate(), seed=opts["seed"],
                                                  committee_user=User.objects.get(username="committee")))
        # children in difficulty: the register, guardians, directors, this year's sweep, the care project (ADR 0035)
        self.stdout.write(children_seed(bureau=User.objects.get(username="bureau"),
                                        committee_user=User.objects.get(username="committee"),
                                        today=timezone.localdate(), seed=opts["seed"]))
        # a year of rescues of homeless and stranded people, 寒冬送温暖 and a heat-wave action (ADR 0038)
        self.stdout.write(homeless_rescue_seed(persons=opts["persons"], seed=opts["seed"]))
        # meal assistance on the demo canteens (two months of meals, one settled and approved; ADR 0032)
        self.stdout.write(meals_seed(bureau=User.objects.get(username="bureau"), today=timezone.localdate()))
        # 一键通 terminals and calls, home-safety sensors and the alert scan (demo data, ADR 0033)
        self.stdout.write(elder_alerts_seed(bureau=User.objects.get(username="bureau"), today=timezone.localdate(),
                                            seed=opts["seed"]))
        # disabled people (ADR 0037): rental service points, rentals and applications (参数缺失), the 5 pilot
        # towns' rehabilitation sites and the care beds of the 2024 实事项目 (demo data)
        self.stdout.write(disability_services_seed(today=timezone.localdate(), seed=opts["seed"],
                                                   committee_user=User.objects.get(username="committee")))
        # minors' protection: a station in every street, the district office, a handful of cases (ADR 0036)
        self.stdout.write(minors_seed(bureau=User.objects.get(username="bureau"),
                                      street_user=User.objects.get(username="street"),
                                      committee_user=User.objects.get(username="committee"),
                                      today=timezone.localdate()))
        # charity supermarkets (a year of donations and distributions) and welfare-lottery sales (ADR 0040)
        self.stdout.write(charity_seed(today=timezone.localdate(), committee_user=User.objects.get(username="committee"),
                                       seed=opts["seed"]))
        # the register of social organizations (seed: 823 in business at the end of 2023; ADR 0039), the
        # demo account of role 社会组织 linked to one of them
        self.stdout.write(social_orgs_seed(account=User.objects.get(username="socorg"), seed=opts["seed"],
                                            today=timezone.localdate()))
        # evaluation grades (seed: 276 graded, 34 %), this year's round, rewards 参数缺失 (ADR 0041)
        self.stdout.write(social_org_grades_seed(today=timezone.localdate(), seed=opts["seed"],
                                                 account=User.objects.get(username="socorg")))
        # support funds (ADR 0043): 2023's calls (44 organizations, 598,000.00 yuan, paid through one-off
        # batches) and this year's calls at every step, one application by the demo account socorg
        self.stdout.write(support_funds_seed(bureau=User.objects.get(username="bureau"),
                                             checker=User.objects.get(username="checker"),
                                             approver=User.objects.get(username="approver"),
                                             account=User.objects.get(username="socorg"),
                                             today=timezone.localdate(), seed=opts["seed"]))
        # zombie organizations: reports of the years between, activities, contact attempts, clean-up cases (ADR 0042)
        self.stdout.write(social_org_zombies_seed(today=timezone.localdate(), seed=opts["seed"]))
        # major-event reports at each step and reminders for last year's unfiled reports (ADR 0044)
        self.stdout.write(social_org_events_seed(bureau=User.objects.get(username="bureau"),
                                                 account=User.objects.get(username="socorg"),
                                                 today=timezone.localdate(), seed=opts["seed"]))
        # this morning's daily jobs (ADR 0017; docs/deploy.md schedules them): lapsed holds released,
        # divorce applications past their appearance window deemed withdrawn, overdue rectification
        # orders of the care institutions escalated once (ADR 0030)
        for kind, params in (("bookings_expire_holds", {}), ("marriage_expire", {}),
                             ("elderly_supervision_escalate", {})):
            _job, outcome = job_run_now(actor="demo-setup", kind=kind, params=params)
            self.stdout.write(outcome.summary)
        self.stdout.write(f"\n打开 http://127.0.0.1:{os.environ.get('PORT') or 8000} 登录。")

    def _seed_caseload(self, month: str) -> bool:
        """Once: the caseload the bureau had before go-live (most of those
        eligible for application programs); the rest become leads."""
        if Enrolment.objects.filter(source=EnrolmentSource.OTHER).exists():
            return False
        # as a job (全区批量测算), like the monitoring run below
        _job, outcome = job_run_now(actor="demo-setup", kind="policy_batch", params={"month": month})
        batch = outcome.value
        created = enrolments_seed_demo_caseload(actor="demo-setup", decision_run_id=batch.pk, month=month,
                                                programs=CASELOAD_PROGRAMS)
        self.stdout.write(f"演示在册保障对象（原系统迁入）：{created} 个")
        return True

    def _assign_advisor(self, street: Division) -> None:
        advisor = User.objects.get(username="advisor")
        if AdvisorAssignment.objects.filter(advisor=advisor).exists():
            return
        bureau = User.objects.get(username="bureau")
        committees = Division.objects.filter(parent=street, level=DivisionLevel.COMMITTEE).order_by("code")[:3]
        for committee in committees:
            advisor_assignment_create(actor=bureau, advisor=advisor, committee=committee)
