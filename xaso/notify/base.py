"""The channel interface and its two failures (channels.py assembles the channels)."""


class ChannelError(Exception):
    """The attempt failed; a later one may succeed (gateway down, timeout, garbage answer)."""

    permanent = False


class PermanentChannelError(ChannelError):
    """No attempt will ever succeed (number refused by the gateway, channel not configured)."""

    permanent = True


class Channel:
    name: str = ""

    def send(self, message) -> str:
        """Send one OutboxMessage; return the provider's id for it."""
        raise NotImplementedError

    @classmethod
    def configured(cls) -> bool:
        """Whether the deployment set this channel up (a message may be routed to it)."""
        return True

    @classmethod
    def problems(cls) -> list[str]:
        """What is wrong with the channel's settings (for the system check)."""
        return []
