import { injectGlobalWebcomponentCss } from 'Frontend/generated/jar-resources/theme-util.js';

import '@vaadin/polymer-legacy-adapter/style-modules.js';
import '@vaadin/vertical-layout/src/vaadin-vertical-layout.js';
import '@vaadin/login/src/vaadin-login-form.js';
import '@vaadin/app-layout/src/vaadin-app-layout.js';
import '@vaadin/app-layout/src/vaadin-drawer-toggle.js';
import '@vaadin/button/src/vaadin-button.js';
import '@vaadin/tooltip/src/vaadin-tooltip.js';
import 'Frontend/generated/jar-resources/disableOnClickFunctions.js';
import '@vaadin/side-nav/src/vaadin-side-nav.js';
import '@vaadin/side-nav/src/vaadin-side-nav-item.js';
import '@vaadin/icons/vaadin-iconset.js';
import '@vaadin/icon/src/vaadin-icon.js';
import '@vaadin/grid/src/vaadin-grid.js';
import '@vaadin/grid/src/vaadin-grid-column.js';
import '@vaadin/grid/src/vaadin-grid-sorter.js';
import '@vaadin/checkbox/src/vaadin-checkbox.js';
import 'Frontend/generated/jar-resources/flow-component-renderer.js';
import 'Frontend/generated/jar-resources/gridConnector.ts';
import 'Frontend/generated/jar-resources/vaadin-grid-flow-selection-column.js';
import '@vaadin/grid/src/vaadin-grid-column-group.js';
import 'Frontend/generated/jar-resources/lit-renderer.ts';
import '@vaadin/context-menu/src/vaadin-context-menu.js';
import 'Frontend/generated/jar-resources/contextMenuConnector.js';
import 'Frontend/generated/jar-resources/contextMenuTargetConnector.js';
import '@vaadin/form-layout/src/vaadin-form-layout.js';
import '@vaadin/form-layout/src/vaadin-form-item.js';
import '@vaadin/form-layout/src/vaadin-form-row.js';
import '@vaadin/text-field/src/vaadin-text-field.js';
import '@vaadin/select/src/vaadin-select.js';
import 'Frontend/generated/jar-resources/selectConnector.js';
import '@vaadin/integer-field/src/vaadin-integer-field.js';
import '@vaadin/number-field/src/vaadin-number-field.js';
import '@vaadin/horizontal-layout/src/vaadin-horizontal-layout.js';
import '@vaadin/radio-group/src/vaadin-radio-group.js';
import '@vaadin/radio-group/src/vaadin-radio-button.js';
import '@vaadin/combo-box/src/vaadin-combo-box.js';
import 'Frontend/generated/jar-resources/comboBoxConnector.js';
import '@vaadin/multi-select-combo-box/src/vaadin-multi-select-combo-box.js';
import 'Frontend/moescope-chart.ts';
import '@vaadin/progress-bar/src/vaadin-progress-bar.js';
import '@vaadin/upload/src/vaadin-upload.js';
import '@vaadin/common-frontend/ConnectionIndicator.js';
import '@vaadin/vaadin-lumo-styles/sizing.js';
import '@vaadin/vaadin-lumo-styles/spacing.js';
import '@vaadin/vaadin-lumo-styles/style.js';
import '@vaadin/vaadin-lumo-styles/vaadin-iconset.js';
import 'Frontend/generated/jar-resources/ReactRouterOutletElement.tsx';

const loadOnDemand = (key) => {
  const pending = [];
  if (key === '4b3819e101ea2f91c42c3203f08cef1ab1f264e0ebaa38147286c42bf1b44457') {
    pending.push(import('./chunks/chunk-744b7a0c1d3e3ecb007a32b09dfeb09917f587d6a53c6cba712f2cd5cc4880d4.js'));
  }
  if (key === 'f3c5dcb7430a671e15400c5da1fba3bf6fa50b5078593634ac238c334be3fb2f') {
    pending.push(import('./chunks/chunk-e6541fd0df5b80723b990e2676fb30a9aacd0496e6a068faf0dc47afbe65fd46.js'));
  }
  if (key === '11a20e07967b6767e04ae0937741ab33790f65cb27e4124461fc5badc70569ed') {
    pending.push(import('./chunks/chunk-e6541fd0df5b80723b990e2676fb30a9aacd0496e6a068faf0dc47afbe65fd46.js'));
  }
  if (key === '02662f70e882ffe719b6bb01a8aeb0b771d48ad081cca03fbc27c54b2cac524f') {
    pending.push(import('./chunks/chunk-0a41a891c23b464c7a101246ee3d6618905644261f6343be56fd7fb8ae188c7b.js'));
  }
  if (key === 'fe33db98dca4a97d5fe51effe076c1a431a4fa563a64ef02d58a6d1cc9e64aad') {
    pending.push(import('./chunks/chunk-e6541fd0df5b80723b990e2676fb30a9aacd0496e6a068faf0dc47afbe65fd46.js'));
  }
  if (key === '1c1d2958c750c5344d0adc9c96464ab7799f94629e4517cb19dc0f9dd2de22d9') {
    pending.push(import('./chunks/chunk-94e39b19d3a157730c435a313f9066b50eccc1e350a73d0a72624765a869ab3c.js'));
  }
  if (key === '69b302e1aa7c3af136135f73916241da646b008629ce7ccd301a4ea24b375e79') {
    pending.push(import('./chunks/chunk-03d54cf24518df28ca6d98422d69a1b6365af1041532b4448310ac2bf4b36474.js'));
  }
  return Promise.all(pending);
}

window.Vaadin = window.Vaadin || {};
window.Vaadin.Flow = window.Vaadin.Flow || {};
window.Vaadin.Flow.loadOnDemand = loadOnDemand;
window.Vaadin.Flow.resetFocus = () => {
 let ae=document.activeElement;
 while(ae&&ae.shadowRoot) ae = ae.shadowRoot.activeElement;
 return !ae || ae.blur() || ae.focus() || true;
}