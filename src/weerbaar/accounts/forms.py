from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The login page has its own "forgot password" link after the button; a link inside
        # the password field's description would sit between the two fields in tab order.
        self.fields["password"].help_text = ""
