/**
 * The audiences a Teams SSO token for this app may carry: the app id (v2 tokens), and the
 * Application ID URI (TAB_SSO_RESOURCE, the manifest's webApplicationInfo.resource) when set, which
 * v1 tokens carry. The configuration checks the URI's form.
 */
export function tabAudiences(appId: string, applicationIdUri?: string): string[] {
  return [appId, ...(applicationIdUri ? [applicationIdUri] : [])].filter(Boolean);
}
