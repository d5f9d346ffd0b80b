"""A realistic demo system (docs/product.md §8): two London ICBs, their trusts (real provider codes
from NHS England's RTT statistics), community providers, diagnostic hubs, a pharmacy, GP
practices, a user of every role, review panels and referrals shaped on the national figures.

Idempotent: organisations are upserted, existing users and panels are left alone, and the
referrals are generated only when the demo holds none yet. See docs/data.md.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.db import analyze
from core.progress import StageProgress
from devtools import demo
from devtools.demo.sections import DEMO_SECTIONS
from directory.models import CLINICAL_ROLES, Organisation, OrganisationKind, Role, User
from directory.services import user_create
from triage.models import (
    MembershipStatus,
    PanelMembership,
    Referral,
    ReviewPanel,
    TreatmentFunction,
)
from triage.services.panels import panel_create
from triage.services.queue import queue_recompute

K = OrganisationKind
ICBS = (
    ("QMF", "NHS North East London Integrated Care Board"),
    ("QRV", "NHS North West London Integrated Care Board"),
)
# Trusts: real provider codes and names from the RTT statistics (March 2026), in their ICBs.
TRUSTS = (
    ("R1H", "Barts Health NHS Trust", "QMF"),
    ("RQX", "Homerton Healthcare NHS Foundation Trust", "QMF"),
    ("RF4", "Barking, Havering and Redbridge University Hospitals NHS Trust", "QMF"),
    ("RYJ", "Imperial College Healthcare NHS Trust", "QRV"),
    ("R1K", "London North West University Healthcare NHS Trust", "QRV"),
    ("RQM", "Chelsea and Westminster Hospital NHS Foundation Trust", "QRV"),
)
COMMUNITY = (
    ("RWK", "East London NHS Foundation Trust (community services)", "QMF"),
    ("RV3", "Central and North West London NHS Foundation Trust (community services)", "QRV"),
)
# Community providers run musculoskeletal and dermatology services; they borrow the shape of
# their ICB's largest trust's service, at this share of its pathways.
COMMUNITY_SERVICES = {"RWK": ("R1H", ("110", "330")), "RV3": ("R1K", ("110", "330"))}
COMMUNITY_SHARE = 0.15
# Invented codes and names (demo only).
DIAGNOSTIC_HUBS = (
    ("DMILE1", "Mile End Community Diagnostic Centre", "QMF"),
    ("DWEMB1", "Wembley Community Diagnostic Centre", "QRV"),
)
PHARMACIES = (("FDM01", "Whitechapel Road Pharmacy", "QMF"),)
PRACTICES = (
    ("F84901", "Mile End Road Surgery", "QMF"),
    ("F84902", "Stepney Green Medical Practice", "QMF"),
    ("F84903", "Bow Common Health Centre", "QMF"),
    ("F84904", "Clapton Park Surgery", "QMF"),
    ("F82901", "Romford Market Medical Centre", "QMF"),
    ("F86901", "Ilford Lane Practice", "QMF"),
    ("E85901", "Ealing Broadway Surgery", "QRV"),
    ("E85902", "Southall Green Medical Centre", "QRV"),
    ("E87901", "Paddington Basin Practice", "QRV"),
    ("E87902", "Notting Hill Gate Surgery", "QRV"),
    ("E84901", "Harrow Road Health Centre", "QRV"),
    ("E86901", "Hillingdon Village Surgery", "QRV"),
)
DEMO_GP_PRACTICE = "F84901"

# username, role, organisation, first name, last name, returning, specialties
USERS = (
    ("gp", Role.GP, "F84901", "Amara", "Okafor", False, []),
    ("retired.gp", Role.GP, "F84902", "Brian", "Hollis", True, []),
    ("gp.nwl", Role.GP, "E85901", "Harpreet", "Gill", False, []),
    ("consultant", Role.CONSULTANT, "R1H", "Priya", "Raman", False, ["110", "120"]),
    ("consultant.rqx", Role.CONSULTANT, "RQX", "Tom", "Adeyemi", False, ["330"]),
    ("consultant.rf4", Role.CONSULTANT, "RF4", "Helen", "Marsh", False, ["130"]),
    ("consultant.ryj", Role.CONSULTANT, "RYJ", "Daniel", "Cohen", False, ["320"]),
    ("consultant.r1k", Role.CONSULTANT, "R1K", "Aisha", "Rahman", False, ["110"]),
    ("consultant.rqm", Role.CONSULTANT, "RQM", "Marek", "Nowak", False, ["502"]),
    ("community", Role.COMMUNITY_CLINICIAN, "RWK", "Sam", "Patel", False, []),
    ("community.nwl", Role.COMMUNITY_CLINICIAN, "RV3", "Grace", "Mensah", False, []),
    ("diagnostics", Role.DIAGNOSTICS_STAFF, "DMILE1", "Jo", "Kowalski", False, []),
    ("manager", Role.MANAGER, "QMF", "Fiona", "Clarke", False, []),
    ("manager.nwl", Role.MANAGER, "QRV", "Ravi", "Shah", False, []),
    ("admin", Role.ADMIN, None, "Alex", "Morgan", False, []),
)
# name, provider, treatment function, members
PANELS = (
    (
        "Barts MSK interface panel",
        "R1H",
        "110",
        ("consultant", "community", "gp", "retired.gp"),
    ),
    ("Barts ENT review panel", "R1H", "120", ("consultant", "community", "retired.gp")),
    (
        "Homerton dermatology panel",
        "RQX",
        "330",
        ("consultant.rqx", "community", "gp", "retired.gp"),
    ),
    ("BHRUT ophthalmology panel", "RF4", "130", ("consultant.rf4", "community", "retired.gp")),
    (
        "Imperial cardiology panel",
        "RYJ",
        "320",
        ("consultant.ryj", "community.nwl", "gp.nwl", "retired.gp"),
    ),
)
SEED = 2026


class Command(BaseCommand):
    help = (
        "Load a realistic demo system: organisations, a user of every role (password printed "
        "at the end), review panels and referrals shaped on NHS England's RTT statistics. "
        "Safe to run again: it adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--referrals", type=int, default=2_000, help="How many referrals (default 2,000)"
        )
        parser.add_argument("--seed", type=int, default=SEED, help="Random seed")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show progress on standard error"
        )

    def handle(self, *args, referrals: int, seed: int, **options):
        if settings.PRODUCTION:
            # Every demo user, admin included, gets the published demo password.
            raise CommandError(
                "seed_demo refuses to run in production (INTERFACE_ENV=production): it creates "
                "users, an administrator among them, with the published demo password."
            )
        started = time.perf_counter()
        progress = StageProgress(enabled=not options["no_progress"], stream=self.stderr._out)
        organisations = self._organisations()
        users = self._users(organisations)
        panels = self._panels(users, organisations)
        existing = Referral.objects.filter(ubrn__gte=f"{demo.DEMO_UBRN_START:012d}").count()
        if existing:
            self.stdout.write(f"Demo referrals already loaded ({existing:,}); left as they are.")
        else:
            try:
                self._referrals(referrals, seed, organisations, users, panels, progress)
            finally:
                progress.close()
        for section in DEMO_SECTIONS:
            self.stdout.write(section(organisations=organisations, users=users, seed=seed))
        self._summary(users, time.perf_counter() - started)

    def _organisations(self) -> dict[str, Organisation]:
        with transaction.atomic():
            orgs: dict[str, Organisation] = {}
            for code, name in ICBS:
                orgs[code], _ = Organisation.objects.update_or_create(
                    ods_code=code, defaults={"name": name, "kind": K.ICB, "icb": None}
                )
            for kind, rows in (
                (K.TRUST, TRUSTS),
                (K.COMMUNITY_PROVIDER, COMMUNITY),
                (K.DIAGNOSTIC_HUB, DIAGNOSTIC_HUBS),
                (K.PHARMACY, PHARMACIES),
                (K.GP_PRACTICE, PRACTICES),
            ):
                for code, name, icb in rows:
                    orgs[code], _ = Organisation.objects.update_or_create(
                        ods_code=code, defaults={"name": name, "kind": kind, "icb": orgs[icb]}
                    )
        return orgs

    def _users(self, orgs: dict[str, Organisation]) -> dict[str, User]:
        users: dict[str, User] = {}
        for username, role, org, first, last, returning, specialties in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    role=role,
                    organisation=orgs[org] if org else None,
                    password=settings.INTERFACE_DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@demo.interface.invalid",
                    is_returning_clinician=returning,
                    specialties=specialties,
                )
            users[username] = user
        return users

    def _panels(self, users: dict[str, User], orgs: dict[str, Organisation]) -> dict:
        panels: dict[tuple[int, str], int] = {}
        for name, provider, function, members in PANELS:
            panel = ReviewPanel.objects.filter(
                provider=orgs[provider], treatment_function_id=function, name=name
            ).first()
            if panel is None:
                panel = panel_create(
                    actor=users["admin"],
                    name=name,
                    provider=orgs[provider],
                    treatment_function=TreatmentFunction.objects.get(code=function),
                    members=[users[m] for m in members],
                )
            demo.demo_panel_seats_accept(panel)
            panels[(orgs[provider].pk, function)] = panel.pk
        return panels

    def _referrals(self, n, seed, orgs, users, panels, progress) -> None:
        trust_codes = [code for code, _, _ in TRUSTS]
        services = demo.rtt_shapes(trust_codes)
        known = set(TreatmentFunction.objects.values_list("code", flat=True))
        services = [s for s in services if s.treatment_function in known]
        for community, (trust, functions) in COMMUNITY_SERVICES.items():
            services += [
                demo.shape_for(s, provider_code=community, share=COMMUNITY_SHARE)
                for s in services
                if s.provider_code == trust and s.treatment_function in functions
            ]
        practices = [
            demo.DemoPractice(code, icb, weight=4 if code == DEMO_GP_PRACTICE else 1)
            for code, _, icb in PRACTICES
        ]
        provider_icbs = {code: icb for code, _, icb in TRUSTS + COMMUNITY}
        rows = demo.demo_referrals_generate(
            n,
            seed=seed,
            services=services,
            practices=practices,
            provider_icbs=provider_icbs,
            today=timezone.localdate(),
        )
        done = 0

        def advance(step: int) -> None:
            nonlocal done
            done += step
            progress("generate", done, n)

        # Reviews are by a clinician of the provider, or a clinician on the referral's panel.
        reviewers: dict[int, list[int]] = {}
        for user in users.values():
            if user.role in (Role.CONSULTANT, Role.COMMUNITY_CLINICIAN):
                reviewers.setdefault(user.organisation_id, []).append(user.pk)
        panel_members: dict[int, list[int]] = {}
        seats = PanelMembership.objects.filter(
            panel_id__in=panels.values(),
            status=MembershipStatus.ACCEPTED,
            user__role__in=CLINICAL_ROLES,
        ).order_by("panel_id", "user_id")
        for panel_id, user_id in seats.values_list("panel_id", "user_id"):
            panel_members.setdefault(panel_id, []).append(user_id)
        result = demo.demo_referrals_write(
            rows,
            seed=seed,
            panel_for_service=panels,
            clinician_for_practice={orgs[DEMO_GP_PRACTICE].pk: users["gp"].pk},
            reviewers=reviewers,
            panel_members=panel_members,
            progress=advance,
        )
        advice = demo.demo_advice_requests(first_referral_id=result.first_referral_id)
        harm = demo.demo_harm_reviews(provider=orgs["R1H"], reviewer=users["consultant"])
        # Planner statistics for every table just filled, before anything queries them: on
        # tables never analysed a GP queue filtered to P4 was planned for 1 row instead of
        # 28,953 and took 22.5 s. (PostgreSQL only; the bulk writes above have committed.)
        analyze()
        providers = list(
            Referral.objects.filter(id__gte=result.first_referral_id)
            .order_by()
            .values_list("provider_id", flat=True)
            .distinct()
        )
        queue_recompute(
            provider_ids=providers, progress=lambda done, of: progress("recompute", done, of)
        )
        progress.close()
        self.stdout.write(
            f"Loaded {result.referrals:,} referrals for {result.patients:,} patients across "
            f"{len(providers)} providers; {advice:,} advice requests awaiting GPs' replies; "
            f"{harm} harm reviews recorded."
        )

    def _summary(self, users: dict[str, User], seconds: float) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo system ready in {seconds:.1f} s."))
        self.stdout.write(f"Password for every demo user: {settings.INTERFACE_DEMO_PASSWORD}")
        for username, user in users.items():
            where = user.organisation.name if user.organisation_id else "all organisations"
            flag = " (returning/retired)" if user.is_returning_clinician else ""
            self.stdout.write(f"  {username:<16} {user.get_role_display()}{flag}, {where}")
