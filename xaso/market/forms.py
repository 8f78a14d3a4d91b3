"""The back office's forms: they parse; the services check and write."""

import re
from datetime import datetime

from django import forms
from django.utils.translation import gettext, gettext_lazy

from xaso.core.errors import InvalidInput

from .models import Certificate, Producer, Product
from .services import PRODUCT_FIELDS, StepIn

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class ProducerForm(forms.ModelForm):
    village = forms.ChoiceField(label=gettext_lazy("village"), required=False)

    class Meta:
        model = Producer
        fields = [
            "kind",
            "name",
            "representative",
            "phone",
            "contact_channel",
            "address",
            "tax_code",
            "publish_consent",
        ]

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—"), *[(v.code, v.name) for v in villages]]
        self.fields["phone"].widget.attrs.update(type="tel", inputmode="tel")


class ProductForm(forms.ModelForm):
    producer = forms.ChoiceField(label=gettext_lazy("producer"))

    class Meta:
        model = Product
        fields = [field for field in PRODUCT_FIELDS]

    def __init__(self, *args, producers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].choices = [(p.code, p.name) for p in producers]
        self.fields["gtin"].help_text = gettext_lazy(
            "8, 12, 13 or 14 digits, from the producer's GS1 Viet Nam barcode (893…); leave "
            "empty when there is none: never make one up."
        )

    def clean_gtin(self):
        return self.cleaned_data["gtin"]  # checked by the service (check digit)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Certificate.Kind.choices)
    stars = forms.TypedChoiceField(
        label=gettext_lazy("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (3, "3★"), (4, "4★"), (5, "5★")],
    )
    number = forms.CharField(label=gettext_lazy("decision or certificate number"), max_length=60)
    issuer = forms.CharField(label=gettext_lazy("issued by"), max_length=160, required=False)
    issued_on = forms.DateField(label=gettext_lazy("date of decision or issue"), widget=DATE_INPUT)
    valid_until = forms.DateField(
        label=gettext_lazy("valid until"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("OCOP: empty means 36 months from the decision."),
    )


class LotForm(forms.Form):
    produced_on = forms.DateField(
        label=gettext_lazy("harvest or production date"), widget=DATE_INPUT
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("quantity"), min_value=0, max_digits=12, decimal_places=2
    )
    plot = forms.CharField(label=gettext_lazy("plot or farm"), max_length=200, required=False)
    expires_on = forms.DateField(
        label=gettext_lazy("use by"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("Empty: the product's shelf life from the production date."),
    )
    steps = forms.CharField(
        label=gettext_lazy("processing steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One a line: the date, then the step, e.g. “14/11/2026 Phơi và xay xát”."
        ),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=gettext_lazy("photo (JPEG or PNG)"))


STEP_LINE = re.compile(r"^\s*(\d{1,2}/\d{1,2}/\d{4})\s*[-–:]?\s*(.+)$")


def steps_parsed(text: str) -> list[StepIn]:
    steps = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = STEP_LINE.match(line)
        try:
            on = datetime.strptime(match[1], "%d/%m/%Y").date() if match else None
        except ValueError:
            on = None
        if on is None:
            raise InvalidInput(
                gettext("Line %(n)d of the steps: start with the date, e.g. “14/11/2026 Phơi khô”.")
                % {"n": number},
                code="steps",
            )
        steps.append(StepIn(on=on, name=match[2].strip()))
    return steps
