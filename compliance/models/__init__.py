"""The compliance app's tables, one module by topic; every name is re-exported here."""

from .bodies import DisputeRecord, OutOfCourtBody
from .complaints import Complaint, ComplaintEvent
from .exports import StoreDataExport, StoreDataExportEvent
from .gdpr import (
    InactiveAccountWarning,
    PersonalDataExport,
    PersonalDataExportEvent,
    RetainedPersonalData,
    RetentionRun,
)
from .measures import (
    KIND_TARGET,
    Measure,
    MeasureEvent,
    MeasureKind,
    MeasureSource,
    StatementOfReasons,
)
from .notices import IllegalityCategory, Notice, NoticeEvent, TargetKind, TrustedFlagger
from .store_complaints import Mediator, StoreComplaint, StoreComplaintEvent, StoreComplaintMessage
from .terms import (
    Art44Ground,
    StoreTermination,
    StoreTerminationEvent,
    TermsDecision,
    TermsException,
    TermsStanding,
    TermsVersion,
)

__all__ = [
    "KIND_TARGET",
    "Art44Ground",
    "Complaint",
    "ComplaintEvent",
    "DisputeRecord",
    "IllegalityCategory",
    "Measure",
    "MeasureEvent",
    "MeasureKind",
    "MeasureSource",
    "Mediator",
    "Notice",
    "NoticeEvent",
    "OutOfCourtBody",
    "StatementOfReasons",
    "StoreComplaint",
    "StoreComplaintEvent",
    "StoreComplaintMessage",
    "StoreDataExport",
    "StoreDataExportEvent",
    "StoreTermination",
    "StoreTerminationEvent",
    "TargetKind",
    "TermsDecision",
    "TermsException",
    "TermsStanding",
    "TermsVersion",
    "TrustedFlagger",
]

# DAC7 (tax reporting): due-diligence data, declarations and their store copies, notices.
# Traders (art. 30), illegal products (art. 32), misuse (art. 23), transparency (art. 15, 24);
# GDPR (issue 13): the consent ledger (art. 7), the breach register (art. 33), art. 30 records.
from .breaches import Breach, RecordsOfProcessing
from .consents import (
    COOKIE_PURPOSES,
    PER_STORE_PURPOSES,
    ConsentBasis,
    ConsentChannel,
    ConsentPurpose,
    ConsentRecord,
)
from .dac7 import Dac7Declaration, Dac7Notice, Dac7SellerData, Dac7SellerReport
from .illegal_products import IllegalProductBuyer, IllegalProductCase
from .misuse import MisuseKind, MisuseRecord, NotifierSuspension
from .reports import MonthlyActiveRecipients, TransparencyReport
from .traders import TraderCertification, TraderEvidence

__all__ += [
    "Dac7Declaration",
    "Dac7Notice",
    "Dac7SellerData",
    "Dac7SellerReport",
    "IllegalProductBuyer",
    "IllegalProductCase",
    "MisuseKind",
    "MisuseRecord",
    "MonthlyActiveRecipients",
    "NotifierSuspension",
    "TraderCertification",
    "TraderEvidence",
    "TransparencyReport",
]

# GDPR for customers (issue 13, part F): exports, data kept by law, retention.
__all__ += [
    "COOKIE_PURPOSES",
    "PER_STORE_PURPOSES",
    "Breach",
    "ConsentBasis",
    "ConsentChannel",
    "ConsentPurpose",
    "ConsentRecord",
    "InactiveAccountWarning",
    "PersonalDataExport",
    "PersonalDataExportEvent",
    "RecordsOfProcessing",
    "RetainedPersonalData",
    "RetentionRun",
]
