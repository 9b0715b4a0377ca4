/**
 * Where each setting lives in the Microsoft Entra admin center. Deep links as Microsoft's own
 * documentation and Entra's recommendations use them; a blade that moves still opens the centre.
 */
const ENTRA = 'https://entra.microsoft.com/#view';
const METHODS_BLADE = `${ENTRA}/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade/~`;

export const ENTRA_LINKS = {
  /** Overview → Properties → Manage security defaults. */
  securityDefaults: `${ENTRA}/Microsoft_AAD_IAM/TenantOverview.ReactView`,
  conditionalAccess: `${ENTRA}/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies`,
  methodsPolicies: `${METHODS_BLADE}/AdminAuthMethods`,
  registrationCampaign: `${METHODS_BLADE}/RegistrationCampaign`,
  userRegistrationDetails: `${METHODS_BLADE}/UserRegistrationDetails`,
  signInLogs: `${ENTRA}/Microsoft_AAD_IAM/SignInEventsV3Blade`,
  appRegistrations: `${ENTRA}/Microsoft_AAD_RegisteredApps/ApplicationsListBlade`,
  licences: `${ENTRA}/Microsoft_AAD_IAM/LicensesMenuBlade/~/Products`,
  /** The legacy per-user MFA page (also reached from Users → Per-user MFA). */
  perUserMfa:
    'https://account.activedirectory.windowsazure.com/UserManagement/MultifactorVerification.aspx',
} as const;

/** Graph requests shown to IT name the public endpoint, whatever the bot itself talks to. */
export const GRAPH_V1 = 'https://graph.microsoft.com/v1.0';
export const GRAPH_BETA = 'https://graph.microsoft.com/beta';

/** What creating or changing a Conditional Access policy takes, as Graph's reference lists it. */
export const CA_WRITE =
  'Policy.ReadWrite.ConditionalAccess, Policy.Read.All and Application.Read.All';
