// The identity providers a metadata file offers for a test sign-in: each IdP entity with the
// single sign-on endpoint the test SP sends its request to (Redirect binding preferred, as Entra ID
// and most IdPs document it; POST otherwise).
import { parseMetadata } from '../../../core/metadata/parse';
import { BINDING_POST, BINDING_REDIRECT, type IdentityProviderEndpoint } from './loopbackServiceProvider';

export type SignInIdentityProviders =
  { ok: true; identityProviders: IdentityProviderEndpoint[] } | { ok: false; message: string };

export function identityProvidersForSignIn(text: string): SignInIdentityProviders {
  const parsed = parseMetadata(text);
  if (!parsed.ok) return { ok: false, message: `The metadata cannot be read: ${parsed.error.message}` };
  const identityProviders: IdentityProviderEndpoint[] = [];
  for (const entity of parsed.model.entities) {
    const entityId = entity.entityID?.value;
    if (!entityId) continue;
    const endpoints = entity.roles
      .filter((role) => role.kind === 'IDPSSODescriptor')
      .flatMap((role) => role.endpoints)
      .filter((e) => e.localName === 'SingleSignOnService' && e.location?.value);
    const pick = (binding: string) => endpoints.find((e) => e.binding?.value === binding);
    const chosen = pick(BINDING_REDIRECT) ?? pick(BINDING_POST);
    if (chosen)
      identityProviders.push({
        entityId,
        ssoUrl: chosen.location!.value,
        ssoBinding: chosen.binding!.value as IdentityProviderEndpoint['ssoBinding'],
      });
  }
  return identityProviders.length
    ? { ok: true, identityProviders }
    : {
        ok: false,
        message:
          'The metadata has no identity provider with a SingleSignOnService for the HTTP-Redirect or HTTP-POST binding.',
      };
}
