"""What each survey tool writes, as data: header rows, its own column names, timestamp formats.

A preset only describes a tool's export; `tabular/canonical.py` applies any of them the same way.
Column names are compared normalised (case, spacing and punctuation ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["native", "google-forms", "microsoft-forms", "limesurvey", "qualtrics"]
FORMATS: tuple[str, ...] = ("native", "google-forms", "microsoft-forms", "limesurvey", "qualtrics")

# Columns that name a person, in any tool: dropped on reading, never kept (normalised headings).
IDENTITY = (
    "email", "email address", "e mail", "name", "full name", "first name", "last name", "username",
    "respondent email", "ip address",
)


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    # Rows above the answers: the first names the columns; `text_row` (1-based) holds the
    # question text when the tool writes it on a row of its own (Qualtrics).
    header_rows: int = 1
    text_row: int | None = None
    # The tool's own columns for the canonical ones (besides the question columns).
    submitted_at: tuple[str, ...] = ()
    respondent: tuple[str, ...] = ()
    # strptime formats of the tool's timestamps; an ISO 8601 stamp is always accepted too.
    # A trailing "GMT+1" / "GMT-05:30" (Google) is read as the offset.
    timestamp_formats: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()  # the tool's own identity columns, besides IDENTITY
    metadata: tuple[str, ...] = ()  # the tool's bookkeeping columns: ignored with the others
    metadata_suffixes: tuple[str, ...] = ()  # ... and those named by an ending (Qualtrics' "Q1_NPS_GROUP")
    # A row below the header rows that is one more header row only when its cells start so
    # (Qualtrics' ImportId row, absent from its legacy layout): told by content, never by count.
    optional_header_start: str = ""
    # Headings "code. text" (LimeSurvey): both the code and the text are matched.
    code_separator: str = ""
    # The ellipsis of abbreviated headings (LimeSurvey: the start and end of the text around it).
    abbreviation_mark: str = ""
    # A quiz's columns beside each scored question (Microsoft Forms' "Points - ...").
    quiz_prefixes: tuple[str, ...] = ()
    # Incomplete responses: an empty timestamp (LimeSurvey's unsubmitted ones), or a
    # "finished" column holding one of `unfinished` (Qualtrics' Finished = 0).
    incomplete_without_stamp: bool = False
    finished: tuple[str, ...] = ()
    unfinished: tuple[str, ...] = ()
    # Timestamps an anonymised survey writes for every row (LimeSurvey): no time at all.
    placeholder_stamps: tuple[str, ...] = ()
    where: str = ""  # where to click to export, for messages


PRESETS: dict[str, Preset] = {
    "native": Preset(name="native", label="the native format"),
    "google-forms": Preset(
        name="google-forms",
        label="Google Forms",
        # Its timestamp and email columns as a form in German, French, Spanish, Italian, Dutch or
        # Portuguese heads them.
        submitted_at=("Timestamp", "Zeitstempel", "Horodateur", "Marca temporal", "Informazioni cronologiche",
                      "Tijdstempel", "Carimbo de data/hora"),
        timestamp_formats=("%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S",
                           "%d.%m.%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S"),
        identity=("Email Address", "Email address", "Score", "E-Mail-Adresse", "Adresse e-mail",
                  "Dirección de correo electrónico", "Indirizzo email", "E-mailadres", "Endereço de e-mail"),
        where="Responses > ... > Download responses (.csv)",
    ),
    "microsoft-forms": Preset(
        name="microsoft-forms",
        label="Microsoft Forms",
        submitted_at=("Completion time",),
        respondent=("ID",),
        timestamp_formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"),
        identity=("Email", "Name"),
        metadata=("Start time", "Last modified time", "Total points", "Quiz feedback", "Grade posted time"),
        quiz_prefixes=("Points - ", "Feedback - "),
        where="Responses > Open in Excel",
    ),
    "limesurvey": Preset(
        name="limesurvey",
        label="LimeSurvey",
        # Its own columns as it heads them in English, German, French, Spanish, Italian, Dutch and
        # Portuguese exports (the survey's base language); the code alone with "Question code" headings.
        submitted_at=("Date submitted", "submitdate", "Datum Abgeschickt", "Date de soumission", "Fecha de envío",
                      "Data invio", "Datum verstuurd", "Data de envio"),
        respondent=("Response ID", "id", "Antwort ID", "ID de la réponse", "ID de respuesta", "ID risposta",
                    "Antwoord ID", "ID da resposta"),
        timestamp_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S",
                           "%d.%m.%y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S"),
        identity=("token", "Access code", "Token", "IP address", "ipaddr", "firstname", "lastname", "email",
                  "Zugangsschlüssel", "IP-Adresse", "Code d'accès", "Adresse IP", "Código de acceso", "Dirección IP",
                  "Codice d'accesso", "Indirizzo IP", "Toegangscode", "IP-adres", "Código de acesso", "Endereço IP"),
        metadata=("Last page", "lastpage", "Start language", "startlanguage", "Seed", "seed", "Date started",
                  "startdate", "Date last action", "datestamp", "Referrer URL", "refurl",
                  "Letzte Seite", "Start-Sprache", "Zufallsstartwert", "Datum gestartet", "Datum letzte Aktivität",
                  "Dernière page", "Langue de départ", "Tête de série", "Date de lancement", "Date de la dernière action",
                  "Última página", "Lenguaje inicial", "Fecha de inicio", "Fecha de la última acción",
                  "Ultima pagina", "Lingua iniziale", "Data di inizio", "Data ultima azione",
                  "Laatste pagina", "Starttaal", "Startdatum", "Datum laatste actie",
                  "Idioma inicial", "Semente", "Data de início", "Data da última ação"),
        code_separator=". ",
        abbreviation_mark="...",
        incomplete_without_stamp=True,
        placeholder_stamps=("1980-01-01 00:00:00", "1980-01-01 00:00", "01.01.1980 00:00", "01.01.1980 00:00:00"),
        where="Responses > Export > Export results",
    ),
    "qualtrics": Preset(
        name="qualtrics",
        label="Qualtrics",
        header_rows=2,
        text_row=2,
        optional_header_start='{"ImportId"',
        # The legacy layout (V1, V2, ... or ResponseID, ResponseSet, ...) has no RecordedDate: its
        # EndDate is when the response was submitted. The first name found in this order wins.
        submitted_at=("RecordedDate", "EndDate"),
        respondent=("ResponseId",),
        timestamp_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"),
        identity=("IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference",
                  "ExternalDataReference", "EmailAddress", "Name", "LocationLatitude", "LocationLongitude",
                  "LocationAccuracy"),
        metadata=("StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished",
                  "DistributionChannel", "UserLanguage", "ResponseSet", "LocationAccuracy"),
        metadata_suffixes=("_NPS_GROUP",),
        finished=("Finished",),
        unfinished=("0", "False", "false", "FALSE"),
        where="Data & Analysis > Export & Import > Export data > CSV",
    ),
}


@dataclass(frozen=True)
class Target:
    """A column a loader wants, and how a tool's heading may name it."""

    name: str  # canonical name, e.g. "team", "q01", "obj:know-question-types", "nps"
    texts: tuple[str, ...] = ()  # question wordings matched exactly (normalised)
    contains: tuple[str, ...] = ()  # wordings matched inside a longer heading (objective texts)
    required: bool = False
    question: bool = False  # a question: an unmatched look-alike heading is an error, not an extra column
    answers: Literal["text", "scale"] = "text"  # "scale": a leading number ("9 - Very likely") is the value
    described: str = field(default="", compare=False)  # how messages name it
