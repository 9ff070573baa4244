// Enrolment of a security key: once django-otp-webauthn's script reports the key
// registered, go on to the next step (the recovery codes, or back where the staff member
// was). A file of its own, not inline, so the Content-Security-Policy needs no exception.
document.addEventListener("otp_webauthn.register_complete", function (event) {
  var button = document.getElementById("passkey-register-button");
  var after = button && button.getAttribute("data-after");
  if (after) {
    window.location.assign(after);
  }
});
