"""What caches between the server and a caller may keep: nothing one caller may not share.

Every answer can depend on who asks (a partner's token, a staff session), so each
one varies on ``Authorization`` and ``Cookie``; an answer to a caller who sent a
token or is signed in is also ``private``, so that no shared cache (a proxy, a CDN)
stores it and hands it to someone else.
"""

from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateAnswersMiddleware:
    """Marks answers that depend on the caller's credentials (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if "HTTP_AUTHORIZATION" in request.META or signed_in:
            patch_cache_control(response, private=True)
        return response
