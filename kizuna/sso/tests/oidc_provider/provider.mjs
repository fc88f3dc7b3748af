// A real OpenID Connect provider (panva/oidc-provider) for Kizuna's SSO tests, on 127.0.0.1 only.
// Configured by environment: PORT, CLIENTS (JSON list of clients), ACCOUNTS (JSON: login → claims).
// Its built-in development screens ask for a login (any password) and a consent.
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const accounts = JSON.parse(process.env.ACCOUNTS || "{}");
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: JSON.parse(process.env.CLIENTS || "[]"),
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "family_name", "given_name", "roles", "team"],
  },
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) =>
    accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ["kizuna-test-only"] },
});
provider.listen(port, "127.0.0.1", () => console.log(`ready ${port}`));
