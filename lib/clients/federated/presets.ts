/**
 * Presets for the Add Federated Credential form: they fill the issuer, the subject and the usual claim conditions,
 * and say where each value comes from. Shared by the form (browser) and the server (labels, audit), so no Node here.
 */
export const PRESET_IDS = ['github_actions', 'gitlab_ci', 'kubernetes', 'spiffe', 'oidc'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';

export type Preset = {
  id: PresetId;
  label: string;
  /** What the preset is for, shown under the choice. */
  summary: string;
  issuer: string;
  issuerHint: string;
  audienceHint: string;
  subjectOperator: 'equals' | 'glob';
  subject: string;
  subjectHint: string;
  /** Suggested further conditions (claim names as the platform issues them), values for the administrator to fill. */
  conditions: { claim: string; operator: 'equals' | 'glob' | 'one_of'; value: string; hint: string }[];
  /** 'pasted': the issuer's keys are usually not reachable (a private cluster), so the form starts with Paste JWKS. */
  keys: 'discovery' | 'pasted';
  keysHint: string;
  singleUse: boolean;
  singleUseHint: string;
};

export const PRESETS: Record<PresetId, Preset> = {
  github_actions: {
    id: 'github_actions',
    label: 'GitHub Actions',
    summary: 'A workflow job requests an OIDC token (permissions: id-token: write) and sends it to the token endpoint.',
    issuer: GITHUB_ACTIONS_ISSUER,
    issuerHint: 'GitHub\'s issuer for Actions. GitHub Enterprise Server: https://HOSTNAME/_services/token.',
    audienceHint: 'The workflow asks for this audience: core.getIDToken(audience) or the audience parameter of ACTIONS_ID_TOKEN_REQUEST_URL.',
    subjectOperator: 'glob',
    subject: 'repo:OWNER/REPOSITORY:ref:refs/heads/main',
    subjectHint: 'repo:<owner>/<repo>:ref:<ref>, or :environment:<name> for jobs with an environment, or :pull_request. Start with repo:<owner>/.',
    conditions: [
      { claim: 'repository', operator: 'equals', value: '', hint: 'owner/repository that ran the workflow.' },
      { claim: 'ref', operator: 'equals', value: 'refs/heads/main', hint: 'The branch or tag.' },
      { claim: 'environment', operator: 'equals', value: '', hint: 'The deployment environment, if the job has one.' },
      { claim: 'job_workflow_ref', operator: 'glob', value: '', hint: 'The workflow file, for reusable workflows: owner/repo/.github/workflows/deploy.yml@refs/heads/main.' },
    ],
    keys: 'discovery',
    keysHint: 'GitHub publishes its keys at the issuer\'s OIDC discovery document.',
    singleUse: true,
    singleUseHint: 'Each job requests a fresh token.',
  },
  gitlab_ci: {
    id: 'gitlab_ci',
    label: 'GitLab CI',
    summary: 'A job declares id_tokens with our audience and sends the token to the token endpoint.',
    issuer: GITLAB_ISSUER,
    issuerHint: 'https://gitlab.com, or your self-managed GitLab\'s URL.',
    audienceHint: 'The aud of the job\'s id_tokens entry.',
    subjectOperator: 'glob',
    subject: 'project_path:GROUP/PROJECT:ref_type:branch:ref:main',
    subjectHint: 'project_path:<group>/<project>:ref_type:<branch|tag>:ref:<name>.',
    conditions: [
      { claim: 'project_path', operator: 'equals', value: '', hint: 'group/project.' },
      { claim: 'ref', operator: 'equals', value: 'main', hint: 'The branch or tag name.' },
      { claim: 'ref_protected', operator: 'equals', value: 'true', hint: '"true" when the branch or tag is protected.' },
    ],
    keys: 'discovery',
    keysHint: 'GitLab publishes its keys at the issuer\'s OIDC discovery document.',
    singleUse: true,
    singleUseHint: 'Each job gets a fresh token.',
  },
  kubernetes: {
    id: 'kubernetes',
    label: 'Kubernetes service account',
    summary: 'A pod mounts a projected service-account token with our audience and sends it to the token endpoint.',
    issuer: 'https://kubernetes.default.svc.cluster.local',
    issuerHint: 'The cluster\'s service-account issuer: kubectl get --raw /.well-known/openid-configuration shows it.',
    audienceHint: 'The audience of the projected token volume (serviceAccountToken.audience).',
    subjectOperator: 'equals',
    subject: 'system:serviceaccount:NAMESPACE:NAME',
    subjectHint: 'system:serviceaccount:<namespace>:<service account name>; or Matches glob system:serviceaccount:<namespace>:* with the service account names as a condition.',
    // Kubernetes nests these under "kubernetes.io" (a key with a dot), so the conditions use JSON Pointer paths.
    conditions: [
      { claim: '/kubernetes.io/namespace', operator: 'equals', value: '', hint: 'The pod\'s namespace: "namespace" inside the token\'s "kubernetes.io" claim.' },
      { claim: '/kubernetes.io/serviceaccount/name', operator: 'one_of', value: '', hint: 'The pod\'s service account: "kubernetes.io" > "serviceaccount" > "name". One of a list: names separated by commas.' },
      { claim: '/kubernetes.io/pod/name', operator: 'glob', value: '', hint: 'The pod\'s name, e.g. api-* for the pods of one Deployment.' },
    ],
    keys: 'pasted',
    keysHint: 'Most clusters do not publish their keys: paste the output of kubectl get --raw /openid/v1/jwks. Paste it again after the cluster rotates its signing key.',
    singleUse: false,
    singleUseHint: 'Kubernetes reuses a projected token until the kubelet refreshes it, so leave this off.',
  },
  spiffe: {
    id: 'spiffe',
    label: 'SPIFFE JWT-SVID',
    summary: 'A workload presents its JWT-SVID (from the SPIFFE Workload API) with our audience.',
    issuer: 'https://oidc-discovery.example.org',
    issuerHint: 'The iss of your JWT-SVIDs: SPIRE\'s OIDC discovery provider URL (set jwt_issuer in SPIRE).',
    audienceHint: 'The audience the workload asks for when it fetches its JWT-SVID.',
    subjectOperator: 'glob',
    subject: 'spiffe://TRUST-DOMAIN/ns/NAMESPACE/sa/*',
    subjectHint: 'The SPIFFE ID: spiffe://<trust domain>/<path>. A glob such as spiffe://prod.acme/ns/payments/* allows a path prefix.',
    conditions: [],
    keys: 'discovery',
    keysHint: 'SPIRE\'s OIDC discovery provider publishes the trust bundle\'s JWT keys; or paste the bundle\'s JWK Set.',
    singleUse: false,
    singleUseHint: 'The Workload API hands out the same SVID until it is renewed.',
  },
  oidc: {
    id: 'oidc',
    label: 'Generic OIDC issuer',
    summary: 'Any issuer with OIDC discovery (a cloud VM\'s identity, Terraform Cloud, CircleCI, another identity provider).',
    issuer: '',
    issuerHint: 'The exact iss of the tokens: its /.well-known/openid-configuration must be reachable over https.',
    audienceHint: 'The aud the tokens will carry.',
    subjectOperator: 'equals',
    subject: '',
    subjectHint: 'The exact sub of the tokens, or a glob.',
    conditions: [],
    keys: 'discovery',
    keysHint: 'Fetched from the issuer\'s OIDC discovery document, or paste its JWK Set.',
    singleUse: true,
    singleUseHint: 'Refuse a token presented a second time (tokens without a jti are accepted).',
  },
};

export const presetLabel = (id: string) => (PRESETS as Record<string, Preset>)[id]?.label ?? 'Generic OIDC issuer';
