from django.apps import AppConfig


class SocialOrgsConfig(AppConfig):
    name = "minzheng.social_orgs"
    label = "social_orgs"
    verbose_name = "社会组织"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.social_orgs.models import (
            Conclusion,
            MatterKind,
            MatterStatus,
            OrgKind,
            OrgStatus,
            PartyStage,
            PartyStatus,
        )

        register_value_labels("org_kind", OrgKind.choices)
        register_value_labels("org_status", OrgStatus.choices)
        register_value_labels("party_status", PartyStatus.choices)
        register_value_labels("party_stage", PartyStage.choices)
        register_value_labels("matter_kind", MatterKind.choices)
        register_value_labels("matter_status", MatterStatus.choices)
        register_value_labels("conclusion", Conclusion.choices)

        from minzheng.social_orgs.grade_models import (
            ApplicationStatus,
            Grade,
            RewardStatus,
            SanctionKind,
        )
        from minzheng.social_orgs.grades import program_register

        register_value_labels("eval_grade", [*Grade.choices, ("none", "不予评定等级"), ("all", "全部等级")])
        register_value_labels("eval_status", ApplicationStatus.choices)
        register_value_labels("sanction_kind", SanctionKind.choices)
        register_value_labels("reward_status", RewardStatus.choices)
        # the grade reward (免申即享) is paid as a one-off payment to the organization (ADR 0041)
        program_register()
