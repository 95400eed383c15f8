// A throwaway identity provider on the loopback interface, for an SP under development: it answers
// the SP's AuthnRequests (HTTP-Redirect or HTTP-POST) with a signed Response for a test user picked
// on its login page, optionally with one deliberate defect, and offers IdP-initiated sign-in to every
// SP in the workspace's metadata ("My Apps"). Each AuthnRequest is checked against the metadata of
// the SP its Issuer names: the signature (AuthnRequestsSigned, the SP's signing certificates), the
// ACS URL or index and the binding; a request that fails is refused with what is wrong.
//
// Listening, the Host check, the body limit and stop() are loopbackServer.ts's, as for the test SP.
// No vscode here: the unit tests drive it with plain HTTP and real SP libraries.
import * as crypto from 'crypto';
import type * as http from 'http';
import { buildSamlIdpMetadata } from '../../../core/build/metadata';
import { buildLogoutResponse, encodeRedirect, signElement } from '../../../core/build/response';
import {
  RESPONSE_DEFECTS,
  buildTestResponse,
  describeDefect,
  postBindingForm,
  signatureAlgorithmFor,
  type ResponseDefect,
} from '../../../core/build/testResponse';
import { decodeSamlInput, type DecodeSuccess } from '../../../core/messages/decode';
import { validateDecoded } from '../../../core/validate/validate';
import type { Finding, ValidationContext } from '../../../core/validate/types';
import { attribute, firstChild, fullText } from '../../../core/validate/xmlUtil';
import { loadMessageDocument } from '../../../core/xml/messageDocument';
import { NS } from '../../../core/xml/namespaces';
import { escapeHtml } from '../../../core/xml/escape';
import { BINDING_POST, BINDING_REDIRECT } from '../../testSignIn/headless/loopbackServiceProvider';
import { HttpError, LoopbackServer, page, type LoopbackServerOptions } from '../../testSignIn/headless/loopbackServer';
import { postAcs, testServiceProvider, type WorkspaceServiceProvider } from './serviceProviders';
import type { TestUser } from './testUsers';

export const IDP_PATHS = {
  apps: '/',
  metadata: '/saml/metadata',
  sso: '/saml/sso',
  login: '/saml/login',
  slo: '/saml/slo',
} as const;

/** Sign-ins waiting for a user to be picked; older ones are forgotten beyond this. */
const MAX_PENDING = 100;

export interface IdpSigningKey {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export interface LoopbackIdentityProviderOptions extends LoopbackServerOptions {
  /** The IdP's entityID; default its metadata URL. */
  entityId?: string;
  signingKey: IdpSigningKey;
  users: readonly TestUser[];
  /** The SPs of the workspace's metadata, read again for each request (so edits count at once). */
  serviceProviders: () => Promise<readonly WorkspaceServiceProvider[]> | readonly WorkspaceServiceProvider[];
  /** The clock responses are issued by; default the system clock. */
  now?: () => Date;
}

export interface SignInEvent {
  sp: WorkspaceServiceProvider;
  user: TestUser;
  defect: ResponseDefect;
  acsUrl: string;
  /** The AuthnRequest answered; undefined when IdP-initiated. */
  requestId: string | undefined;
  /** The Response posted to the ACS (XML). */
  responseXml: string;
}

export interface IdentityProviderEvents {
  /** An AuthnRequest accepted, with the validator's notes that are not passes (for the log). */
  onRequest?(summary: string, notes: readonly string[]): void;
  onSignIn?(event: SignInEvent): void;
  onLogout?(summary: string): void;
  /** A request the server refused, and why (for the log). */
  onRefused?(reason: string): void;
}

interface PendingSignIn {
  sp: WorkspaceServiceProvider;
  acsUrl: string;
  requestId: string | undefined;
  relayState: string | undefined;
  notes: readonly string[];
}

interface ReadRequest {
  id: string | undefined;
  issuer: string | undefined;
  acsUrl: string | undefined;
  acsIndex: string | undefined;
  protocolBinding: string | undefined;
}

function readRequest(decoded: DecodeSuccess): ReadRequest {
  const loaded = loadMessageDocument(decoded.xml);
  if (!loaded.ok) throw new HttpError(400, `The ${decoded.messageType} cannot be read: ${loaded.message}`);
  const root = loaded.document.documentElement;
  const issuer = firstChild(root, NS.saml, 'Issuer');
  return {
    id: attribute(root, 'ID'),
    issuer: issuer ? fullText(issuer).trim() : undefined,
    acsUrl: attribute(root, 'AssertionConsumerServiceURL'),
    acsIndex: attribute(root, 'AssertionConsumerServiceIndex'),
    protocolBinding: attribute(root, 'ProtocolBinding'),
  };
}

/** A new SAML ID (an NCName: letters and digits after an underscore). */
const freshId = () => `_${crypto.randomBytes(16).toString('hex')}`;

const noteOf = (finding: Finding) => `${finding.status}: ${finding.message}`;

function list(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

export class LoopbackIdentityProvider extends LoopbackServer {
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly options: LoopbackIdentityProviderOptions,
    private readonly events: IdentityProviderEvents = {},
  ) {
    super(options, {
      label: 'test IdP',
      portAdvice: 'choose another in samlLens.testIdentityProvider.port (and in the SP’s IdP settings)',
      paths: Object.values(IDP_PATHS),
      onRefused: (reason) => events.onRefused?.(reason),
    });
  }

  get entityId(): string {
    return this.options.entityId || this.url(IDP_PATHS.metadata);
  }

  get certificatePem(): string {
    return this.options.signingKey.certificatePem;
  }

  metadataXml(): string {
    return buildSamlIdpMetadata({
      entityId: this.entityId,
      signingCertificates: [this.options.signingKey.certificatePem],
      ssoUrl: this.url(IDP_PATHS.sso),
      sloUrl: this.url(IDP_PATHS.slo),
      nameIdFormats: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  protected async route(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<boolean> {
    switch (`${request.method ?? 'GET'} ${url.pathname}`) {
      case `GET ${IDP_PATHS.metadata}`:
        response.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml; charset=utf-8' });
        response.end(this.metadataXml());
        return true;
      case `GET ${IDP_PATHS.apps}`:
        this.send(response, 200, await this.myApps());
        return true;
      case `GET ${IDP_PATHS.sso}`:
        await this.receiveAuthnRequest(response, `${this.url(IDP_PATHS.sso)}${url.search}`, 'query');
        return true;
      case `POST ${IDP_PATHS.sso}`:
        await this.receiveAuthnRequest(response, await this.readForm(request, 'SSO endpoint'), 'form');
        return true;
      case `GET ${IDP_PATHS.login}`:
        await this.idpInitiatedLogin(response, url.searchParams.get('sp'));
        return true;
      case `POST ${IDP_PATHS.login}`:
        this.signIn(response, new URLSearchParams(await this.readForm(request, 'login page')));
        return true;
      case `GET ${IDP_PATHS.slo}`:
        await this.receiveLogoutRequest(response, `${this.url(IDP_PATHS.slo)}${url.search}`, 'query');
        return true;
      case `POST ${IDP_PATHS.slo}`:
        await this.receiveLogoutRequest(response, await this.readForm(request, 'SLO endpoint'), 'form');
        return true;
      default:
        return false;
    }
  }

  private async serviceProviders(): Promise<readonly WorkspaceServiceProvider[]> {
    return this.options.serviceProviders();
  }

  private async myApps(): Promise<string> {
    const sps = await this.serviceProviders();
    const apps = sps.map(
      (sp) =>
        `<li><a href="${IDP_PATHS.login}?sp=${encodeURIComponent(sp.entityId)}">${escapeHtml(sp.entityId)}</a> <small>(${escapeHtml(sp.source)})</small></li>`,
    );
    return page(
      'SAML Lens test IdP: My Apps',
      `<p>Sign in to an SP of the workspace's metadata without a request from it (IdP-initiated).</p>` +
        (apps.length
          ? `<ul>${apps.join('')}</ul>`
          : '<p>No SP metadata (SPSSODescriptor) was found in the workspace.</p>') +
        `<p>This IdP's metadata: <a href="${IDP_PATHS.metadata}">${escapeHtml(this.url(IDP_PATHS.metadata))}</a></p>`,
    );
  }

  /** Decodes what arrived at an endpoint, or refuses it with what is missing. */
  private decode(input: string, carrier: 'query' | 'form', endpoint: string): DecodeSuccess {
    const fields = carrier === 'query' ? new URL(input).searchParams : new URLSearchParams(input);
    if (!fields.get('SAMLRequest'))
      throw new HttpError(
        400,
        `The ${endpoint} takes a SAMLRequest (HTTP-Redirect: in the query; HTTP-POST: in the form), and this ${carrier === 'query' ? 'query' : 'form'} has none.`,
      );
    const decoded = decodeSamlInput(input);
    if (!decoded.ok) throw new HttpError(400, `The SAMLRequest cannot be decoded: ${decoded.message}`);
    return decoded;
  }

  /** The SP whose metadata has this entityID, or a refusal naming the ones known. */
  private async findServiceProvider(issuer: string | undefined, what: string): Promise<WorkspaceServiceProvider> {
    if (!issuer) throw new HttpError(400, `The ${what} has no Issuer, so this IdP cannot tell which SP sent it.`);
    const sps = await this.serviceProviders();
    const sp = sps.find((candidate) => candidate.entityId === issuer);
    if (!sp)
      throw new HttpError(
        403,
        `No SP metadata in the workspace has the entityID ${issuer} (the ${what}'s Issuer)` +
          (sps.length ? `; known SPs: ${sps.map((s) => s.entityId).join(', ')}.` : '; none was found.') +
          ' Add the SP’s metadata file to the workspace.',
      );
    return sp;
  }

  /** The validator's verdict on a request from this SP: its failures refuse it, the rest are notes. */
  private checkRequest(decoded: DecodeSuccess, sp: WorkspaceServiceProvider, receivedAt: string): string[] {
    const context: ValidationContext = {
      now: this.now(),
      trustedCertificates: sp.signingCertificates.map((base64) => ({
        base64,
        source: `${sp.source} (${sp.entityId})`,
        entityId: sp.entityId,
      })),
      idpEntityId: sp.entityId,
      receivedAt,
      ...(sp.authnRequestsSigned && {
        requireSignedRequest: `the SP metadata (${sp.source}) says AuthnRequestsSigned="true"`,
      }),
    };
    const report = validateDecoded(decoded, context);
    const failures = report.findings.filter((f) => f.status === 'fail');
    if (failures.length)
      throw new HttpError(
        400,
        `The ${decoded.messageType} from ${sp.entityId} is refused: ${failures.map((f) => f.message).join(' ')}`,
      );
    return report.findings.filter((f) => f.status === 'warn' || f.status === 'not-checked').map(noteOf);
  }

  /** Where the response goes: the ACS the request names (URL or index) if the SP's metadata lists it for HTTP-POST. */
  private chooseAcs(read: ReadRequest, sp: WorkspaceServiceProvider): string {
    if (read.protocolBinding !== undefined && read.protocolBinding !== BINDING_POST)
      throw new HttpError(
        400,
        `The AuthnRequest asks for the response by ${read.protocolBinding}; this test IdP answers with the HTTP-POST binding only.`,
      );
    const listed = sp.acs.map((e) => `${e.url} (${e.binding.replace(/.*:/, '')})`).join(', ') || 'none';
    if (read.acsUrl !== undefined) {
      const named = sp.acs.filter((e) => e.url === read.acsUrl);
      if (named.length === 0)
        throw new HttpError(
          400,
          `The AuthnRequest asks for the response at ${read.acsUrl}, which is not an AssertionConsumerService in the SP metadata (${sp.source}); it lists ${listed}. Add the URL there or fix the SP's ACS URL.`,
        );
      if (!named.some((e) => e.binding === BINDING_POST))
        throw new HttpError(
          400,
          `The SP metadata (${sp.source}) lists ${read.acsUrl} for ${named.map((e) => e.binding).join(', ')}, not HTTP-POST, the binding this IdP answers with.`,
        );
      return read.acsUrl;
    }
    if (read.acsIndex !== undefined) {
      const indexed = sp.acs.find((e) => String(e.index) === read.acsIndex);
      if (!indexed)
        throw new HttpError(
          400,
          `The AuthnRequest asks for AssertionConsumerServiceIndex ${read.acsIndex}, which the SP metadata (${sp.source}) does not have; it lists ${listed}.`,
        );
      if (indexed.binding !== BINDING_POST)
        throw new HttpError(
          400,
          `AssertionConsumerService ${read.acsIndex} of the SP metadata (${sp.source}) is for ${indexed.binding}, not HTTP-POST, the binding this IdP answers with.`,
        );
      return indexed.url;
    }
    const fallback = postAcs(sp)[0];
    if (!fallback)
      throw new HttpError(
        400,
        `The SP metadata (${sp.source}) has no AssertionConsumerService for the HTTP-POST binding to answer at; it lists ${listed}.`,
      );
    return fallback.url;
  }

  /**
   * A request at the SSO or SLO endpoint, decoded, of the type that endpoint takes, from an SP of the
   * workspace, and accepted by the validator against that SP's metadata; else refused with why.
   */
  private async receiveRequest(
    input: string,
    carrier: 'query' | 'form',
    expected: 'AuthnRequest' | 'LogoutRequest',
  ): Promise<{ decoded: DecodeSuccess; read: ReadRequest; sp: WorkspaceServiceProvider; notes: string[] }> {
    const [endpoint, path] =
      expected === 'AuthnRequest' ? ['SSO endpoint', IDP_PATHS.sso] : ['SLO endpoint', IDP_PATHS.slo];
    const decoded = this.decode(input, carrier, endpoint);
    if (decoded.messageType !== expected)
      throw new HttpError(
        400,
        `The ${endpoint} takes a${expected === 'AuthnRequest' ? 'n' : ''} ${expected}, not a ${decoded.messageType}.`,
      );
    const read = readRequest(decoded);
    const sp = await this.findServiceProvider(read.issuer, expected);
    return { decoded, read, sp, notes: this.checkRequest(decoded, sp, this.url(path)) };
  }

  private async receiveAuthnRequest(
    response: http.ServerResponse,
    input: string,
    carrier: 'query' | 'form',
  ): Promise<void> {
    const { decoded, read, sp, notes } = await this.receiveRequest(input, carrier, 'AuthnRequest');
    const acsUrl = this.chooseAcs(read, sp);
    this.events.onRequest?.(`AuthnRequest ${read.id ?? '(no ID)'} from ${sp.entityId}, answer at ${acsUrl}`, notes);
    const handle = this.remember({ sp, acsUrl, requestId: read.id, relayState: decoded.relayState, notes });
    this.send(response, 200, this.loginPage(handle));
  }

  private async idpInitiatedLogin(response: http.ServerResponse, entityId: string | null): Promise<void> {
    if (!entityId)
      throw new HttpError(400, 'IdP-initiated sign-in needs the SP: /saml/login?sp=ENTITYID (see My Apps at /).');
    const sp = await this.findServiceProvider(entityId, 'sign-in link');
    const acs = postAcs(sp)[0];
    if (!acs)
      throw new HttpError(
        400,
        `The SP metadata (${sp.source}) has no AssertionConsumerService for the HTTP-POST binding.`,
      );
    const handle = this.remember({ sp, acsUrl: acs.url, requestId: undefined, relayState: undefined, notes: [] });
    this.send(response, 200, this.loginPage(handle));
  }

  private remember(signIn: PendingSignIn): string {
    const handle = crypto.randomBytes(16).toString('hex');
    this.pending.set(handle, signIn);
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    return handle;
  }

  private loginPage(handle: string): string {
    const signIn = this.pending.get(handle)!;
    const users = this.options.users.map((user, index) => {
      const claims = user.attributes.map((a) => `${a.name}: ${a.values.join(', ')}`).join('; ');
      return `<label><input type="radio" name="user" value="${index}"${index === 0 ? ' checked' : ''}> ${escapeHtml(user.nameId)}</label> <small>${escapeHtml(claims)}</small><br>`;
    });
    const defects = RESPONSE_DEFECTS.map(
      (d) =>
        `<label><input type="radio" name="defect" value="${d.defect}"${d.defect === 'none' ? ' checked' : ''}> ${escapeHtml(d.label)}</label> <small>${escapeHtml(d.detail)}</small><br>`,
    );
    return page(
      'SAML Lens test IdP: sign in',
      `<p>${signIn.requestId ? `AuthnRequest ${escapeHtml(signIn.requestId)}` : 'IdP-initiated sign-in'} for ${escapeHtml(signIn.sp.entityId)}; the response goes to ${escapeHtml(signIn.acsUrl)}.</p>` +
        (signIn.notes.length ? `<p>Notes on the request:</p>${list(signIn.notes)}` : '') +
        `<form method="post" action="${IDP_PATHS.login}">
      <input type="hidden" name="request" value="${handle}">
      <fieldset><legend>Test user</legend>${users.join('\n')}</fieldset>
      <fieldset><legend>Defect in the response</legend>${defects.join('\n')}</fieldset>
      <button type="submit">Sign in</button>
    </form>`,
    );
  }

  private signIn(response: http.ServerResponse, form: URLSearchParams): void {
    const handle = form.get('request') ?? '';
    const signIn = this.pending.get(handle);
    if (!signIn)
      throw new HttpError(
        400,
        'This sign-in is unknown or already answered (or the test IdP restarted): start the sign-in again at the SP.',
      );
    const userField = form.get('user') ?? '';
    const user = /^\d+$/.test(userField) ? this.options.users[Number(userField)] : undefined;
    if (!user) throw new HttpError(400, `The login form names no known test user (user=${JSON.stringify(userField)}).`);
    const defectField = form.get('defect') ?? 'none';
    let defect: ResponseDefect;
    try {
      defect = describeDefect(defectField as ResponseDefect).defect;
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    const built = buildTestResponse({
      sp: testServiceProvider(signIn.sp, signIn.acsUrl),
      idp: { entityId: this.entityId, ...this.options.signingKey },
      nameId: user.nameId,
      attributes: user.attributes,
      defect,
      now: this.now(),
      relayState: signIn.relayState,
      inResponseTo: signIn.requestId,
      // Fresh IDs for every response: SPs refuse an assertion ID they have seen (replay).
      ids: { response: freshId(), assertion: freshId() },
    });
    if (!built.ok) throw new HttpError(500, built.message);
    this.pending.delete(handle);
    this.events.onSignIn?.({
      sp: signIn.sp,
      user,
      defect,
      acsUrl: signIn.acsUrl,
      requestId: signIn.requestId,
      responseXml: built.response.xml,
    });
    this.send(response, 200, built.response.autoPostHtml);
  }

  private async receiveLogoutRequest(
    response: http.ServerResponse,
    input: string,
    carrier: 'query' | 'form',
  ): Promise<void> {
    const { decoded, read, sp } = await this.receiveRequest(input, carrier, 'LogoutRequest');
    this.events.onLogout?.(`LogoutRequest ${read.id ?? '(no ID)'} from ${sp.entityId}`);
    const target = sp.slo.find((e) => e.binding === BINDING_REDIRECT) ?? sp.slo.find((e) => e.binding === BINDING_POST);
    if (!target) {
      this.send(
        response,
        200,
        page(
          'Signed out',
          `<p>The test IdP has no session to end, and the SP metadata (${escapeHtml(sp.source)}) has no SingleLogoutService to send the LogoutResponse to.</p>`,
        ),
      );
      return;
    }
    const id = freshId();
    const xml = buildLogoutResponse({
      id,
      issuer: this.entityId,
      destination: target.url,
      inResponseTo: read.id ?? '',
      issueInstant: this.now(),
    });
    const { signingKey } = this.options;
    const signing = signatureAlgorithmFor(signingKey.privateKeyPem, signingKey.certificatePem);
    if (!signing.ok) throw new HttpError(500, signing.message);
    if (target.binding === BINDING_REDIRECT) {
      this.redirect(
        response,
        encodeRedirect(
          xml,
          { destination: target.url, parameter: 'SAMLResponse', relayState: decoded.relayState },
          { privateKeyPem: signingKey.privateKeyPem, signatureAlgorithm: signing.algorithm },
        ),
      );
      return;
    }
    const signed = signElement(xml, id, { ...signingKey, signatureAlgorithm: signing.algorithm });
    this.send(
      response,
      200,
      postBindingForm(
        target.url,
        { SAMLResponse: Buffer.from(signed, 'utf8').toString('base64'), RelayState: decoded.relayState },
        'SAML Lens test IdP: logout',
      ),
    );
  }
}
