"""Vietnamese banks by their NAPAS BIN (DOMAIN.md §4). A commune's receiving account names one."""

BANKS = {
    "970436": "Vietcombank",
    "970405": "Agribank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970422": "MB",
    "970407": "Techcombank",
    "970416": "ACB",
    "970432": "VPBank",
    "970403": "Sacombank",
    "970449": "LPBank",
}
BANK_CHOICES = sorted(
    ((code, f"{name} ({code})") for code, name in BANKS.items()), key=lambda c: c[1]
)
