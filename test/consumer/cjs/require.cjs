// A CommonJS program using the installed package through require() (Node >= 20.19 loads ES modules
// that way): every entry point, a send through the fake Graph API, and the classes shared with import().
const sdk = require("messenger-sdk");
const graph = require("messenger-sdk/graph");
const sobot = require("messenger-sdk/sobot");
const inbox = require("messenger-sdk/inbox");
const node = require("messenger-sdk/node");
const testing = require("messenger-sdk/testing");
const openapi = require("messenger-sdk/openapi");
const schema = require("messenger-sdk/schemas/graph.schema.json");
const manifest = require("messenger-sdk/package.json");

async function main() {
  const esm = await import("messenger-sdk");
  const fake = await testing.startFakeGraph();
  try {
    const client = new sdk.GraphClient({ accessToken: fake.accessToken, pageId: "PAGE_ID", baseUrl: fake.url });
    const sent = await client.sendMessage({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "hi from require" } });
    let rejected = "not rejected";
    try {
      await client.sendMessage({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "x".repeat(2001) } });
    } catch (error) {
      // Caught with the class import() gives: one copy of the package at run time.
      rejected = error instanceof esm.RequestValidationError ? `RequestValidationError ${error.issues[0].pointer}` : String(error);
    }
    return {
      entryPoints: [sdk, graph, sobot, inbox, node, testing, openapi].map((m) => typeof m),
      sameClasses: esm.GraphClient === sdk.GraphClient && esm.MessengerError === sdk.MessengerError,
      sent: typeof sent.message_id,
      delivered: fake.delivered("sendMessage").length,
      rejected,
      parsed: graph.readGraphWebhookDelivery(JSON.stringify({ object: "page", entry: [] })).events.length,
      inbox: typeof inbox.RedisInbox,
      handler: typeof node.nodeWebhookHandler,
      sobotClient: typeof sobot.SobotClient,
      schema: typeof schema.$id,
      name: manifest.name,
    };
  } finally {
    await fake.close();
  }
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
