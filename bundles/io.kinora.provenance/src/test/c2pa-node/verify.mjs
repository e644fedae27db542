// Independent C2PA validation for the provenance tests: the Content Authenticity Initiative's c2pa-rs through
// @contentauth/c2pa-node. Usage: node verify.mjs FILE TRUST_ANCHORS.pem
// Prints one JSON object: {validation_state, validation_results, active_manifest, manifest} (or {error}).
import { readFileSync } from 'node:fs';
import { Reader } from '@contentauth/c2pa-node';

const [file, anchors] = process.argv.slice(2);
const settings = {
  verify: { verify_trust: true },
  trust: { trust_anchors: anchors ? readFileSync(anchors, 'utf8') : '' },
};
try {
  const reader = await Reader.fromAsset({ path: file, mimeType: 'video/mp4' }, settings);
  if (!reader) {
    console.log(JSON.stringify({ validation_state: 'NoManifest' }));
  } else {
    const store = reader.json();
    console.log(JSON.stringify({
      validation_state: store.validation_state,
      validation_results: store.validation_results,
      active_manifest: store.active_manifest,
      manifest: store.manifests ? store.manifests[store.active_manifest] : null,
    }));
  }
} catch (e) {
  console.log(JSON.stringify({ validation_state: 'Error', error: String(e && e.message || e) }));
}
