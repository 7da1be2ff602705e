// The console's script and style sheet, served at /console/app.js and /console/app.css. They are part of the
// binary so a copied `kouzi` serves its console with no files beside it.

enum ConsoleAssets {
    /// Changes with the assets; pages ask for `app.js?TAG` so browsers never run a stale script.
    static let tag: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (script + style).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }()

    static let icon = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#10243f"/><path d="M9 7v18M9 16l11-9M12 14l9 11" stroke="#fff" stroke-width="3.5" fill="none" stroke-linecap="round"/></svg>"##

    static let script = #"""
// Kouzi console: forms that talk to the JSON API, live job curves, the try-it panel, the split and cleaning
// editors, keyboard navigation. No dependencies.
(function () {
  'use strict';
  const $ = (s, r) => (r || document).querySelector(s);
  const $$ = (s, r) => Array.from((r || document).querySelectorAll(s));
  const escapeHTML = (t) => String(t).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  // ---- API calls -------------------------------------------------------------------------------------------
  async function call(method, url, body) {
    const headers = { 'X-Kouzi-Console': '1', 'Accept': 'application/json' };
    let payload;
    if (body instanceof Blob) { headers['Content-Type'] = 'application/octet-stream'; payload = body; }
    else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
    const res = await fetch(url, { method: method, headers: headers, body: payload, credentials: 'same-origin' });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
    if (!res.ok) {
      const err = new Error((data && data.error) || (res.status + ' ' + res.statusText));
      err.status = res.status; err.code = data && data.code;
      throw err;
    }
    return { data: data, headers: res.headers };
  }
  const api = async (method, url, body) => (await call(method, url, body)).data;

  // ---- Errors next to fields ---------------------------------------------------------------------------------
  function formError(form) { return document.getElementById(form.id + '-error') || $('.form-error', form); }
  function clearErrors(form) {
    $$('.field-error', form).forEach((e) => { e.textContent = ''; });
    $$('[aria-invalid]', form).forEach((e) => e.removeAttribute('aria-invalid'));
    const fe = formError(form); if (fe) fe.textContent = '';
  }
  function fieldError(input, message) {
    let slot = input.id ? document.getElementById(input.id + '-error') : null;
    if (!slot && input.parentElement) slot = input.parentElement.querySelector('.field-error');
    input.setAttribute('aria-invalid', 'true');
    if (slot) slot.textContent = message;
    else { const fe = formError(input.form || input.closest('form')); if (fe) fe.textContent = message; }
  }
  function showError(form, err) {
    let field = null;
    if (err.code && err.code.indexOf('invalid_') === 0) {
      const name = err.code.slice(8);
      field = $('[data-field="' + CSS.escape(name) + '"]', form);
      if (!field && name.indexOf('.') > 0) field = $('[data-field="' + CSS.escape(name.split('.').slice(-1)[0]) + '"]', form);
    }
    if (field && field.type !== 'hidden') { fieldError(field, err.message); field.focus(); }
    else { const fe = formError(form); if (fe) fe.textContent = err.message; }
  }
  function validate(form) {
    let first = null;
    $$('input, select, textarea', form).forEach((el) => {
      if (el.willValidate && !el.checkValidity()) { fieldError(el, el.validationMessage); first = first || el; }
    });
    if (first) first.focus();
    return !first;
  }
  // A form in flight ignores further submits (double clicks) until it fails or the page moves on.
  function busy(form, on) {
    if (on) form.dataset.busy = '1'; else delete form.dataset.busy;
    $$('button[type=submit], button:not([type])', form).forEach((b) => { b.disabled = on; });
    form.setAttribute('aria-busy', on ? 'true' : 'false');
  }
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(values && values[k] != null ? values[k] : ''));

  function setPath(target, path, value) {
    const parts = path.split('.');
    let o = target;
    for (let i = 0; i < parts.length - 1; i++) { o[parts[i]] = o[parts[i]] || {}; o = o[parts[i]]; }
    o[parts[parts.length - 1]] = value;
  }
  function collect(form) {
    const body = {}, path = {};
    for (const el of $$('[data-field]', form)) {
      if (el.disabled || el.type === 'file') continue;
      let v = el.type === 'checkbox' ? el.checked : el.value;
      if (el.hasAttribute('data-path')) { path[el.dataset.field] = v; continue; }
      if (v === '') continue;
      const t = el.dataset.type;
      if (t === 'int') v = parseInt(v, 10);
      else if (t === 'number') v = Number(v);
      else if (t === 'bool') v = v === true || v === 'true';
      setPath(body, el.dataset.field, v);
    }
    return { body: body, path: path };
  }
  const reference = (text) => { const p = String(text).split(':'); return { id: parseInt(p[0], 10), version: parseInt(p[1], 10) }; };
  const builders = {
    train: (body) => {
      body.dataset = reference(body.dataset);
      if (body.test) body.test = reference(body.test);
      if (body.seed != null) body.seed = parseInt(body.seed, 10);
      return body;
    },
    evaluate: (body) => { body.dataset = reference(body.dataset); return body; },
    schema: (body) => {
      body.classes = body.type === 'classes' ? String(body.classes || '').split(',').map((c) => c.trim()).filter((c) => c) : undefined;
      return body;
    },
  };

  async function submitAPI(form) {
    if (form.dataset.busy) return;
    clearErrors(form);
    if (!validate(form)) return;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    busy(form, true);
    try {
      const c = collect(form);
      let body = c.body;
      if (form.dataset.build && builders[form.dataset.build]) body = builders[form.dataset.build](body, form);
      const method = form.dataset.method || 'POST';
      const result = await api(method, fill(form.dataset.api, c.path), method === 'DELETE' ? undefined : body);
      if (form.dataset.redirect) location.assign(fill(form.dataset.redirect, result));
      else if (form.hasAttribute('data-reload')) location.reload();
      else busy(form, false);
    } catch (err) { showError(form, err); busy(form, false); }
  }

  // ---- Uploading a dataset: create it, then stream the file into its first version --------------------------
  async function submitUpload(form) {
    if (form.dataset.busy) return;
    clearErrors(form);
    if (!validate(form)) return;
    const file = $('#upload-file', form).files[0];
    busy(form, true);
    try {
      let id = form.dataset.created;
      if (!id) {
        const created = await api('POST', form.dataset.upload, { name: $('#upload-name', form).value.trim(), description: $('#upload-description', form).value });
        id = form.dataset.created = String(created.id);
      }
      const q = new URLSearchParams({ format: $('#upload-format', form).value, filename: file.name });
      const target = $('#upload-target', form).value.trim();
      if (target) q.set('target', target);
      await api('POST', form.dataset.upload + '/' + id + '/versions/upload?' + q.toString(), file);
      location.assign(fill(form.dataset.redirect, { id: id }));
    } catch (err) {
      if (err.code === 'invalid_name' || err.code === 'dataset_exists' || err.status === 409) fieldError($('#upload-name', form), err.message);
      else if (form.dataset.created) fieldError($('#upload-file', form), err.message + ' (the dataset was created; choose a corrected file and upload again)');
      else showError(form, err);
      busy(form, false);
    }
  }

  // ---- Training form: hyper-parameter fields from the chosen template ----------------------------------------
  function setupTrain(form) {
    const templates = JSON.parse($('#templates-data').textContent);
    const select = $('#train-template', form), box = $('#hp-fields', form), summary = $('#template-summary');
    function render() {
      const t = templates.find((x) => x.id === select.value);
      box.textContent = '';
      if (!t) return;
      summary.textContent = t.summary || '';
      for (const h of t.hyperparameters) {
        const id = 'hp-' + h.name, wrap = document.createElement('div');
        wrap.className = 'field';
        let control;
        if (h.kind === 'choice') {
          control = '<select id="' + id + '" data-field="hyperparameters.' + escapeHTML(h.name) + '">' + h.choices.map((c) =>
            '<option' + (c === h.defaultValue ? ' selected' : '') + '>' + escapeHTML(c) + '</option>').join('') + '</select>';
        } else if (h.kind === 'boolean') {
          control = '<select id="' + id + '" data-field="hyperparameters.' + escapeHTML(h.name) + '" data-type="bool"><option value="true"' +
            (h.defaultValue ? ' selected' : '') + '>true</option><option value="false"' + (h.defaultValue ? '' : ' selected') + '>false</option></select>';
        } else {
          const step = h.kind === 'integer' ? '1' : 'any';
          control = '<input id="' + id + '" type="number" step="' + step + '" data-type="' + (h.kind === 'integer' ? 'int' : 'number') + '" data-field="hyperparameters.' +
            escapeHTML(h.name) + '" value="' + escapeHTML(h.defaultValue) + '"' + (h.minimum != null ? ' min="' + h.minimum + '"' : '') +
            (h.maximum != null ? ' max="' + h.maximum + '"' : '') + ' required>';
        }
        wrap.innerHTML = '<label for="' + id + '">' + escapeHTML(h.name) + '</label>' + control +
          '<small class="hint">' + escapeHTML(h.description) + (h.minimum != null ? ' (' + h.minimum + '–' + h.maximum + ')' : '') + '</small>' +
          '<span class="field-error" id="' + id + '-error" role="alert"></span>';
        box.appendChild(wrap);
      }
    }
    select.addEventListener('change', render);
    render();
  }

  // ---- A job's live curves and logs, streamed ---------------------------------------------------------------
  function setupJob(box) {
    const source = new EventSource(box.dataset.events);
    const logs = $('#logs'), state = $('#job-state'), progress = $('#job-progress');
    let pending = false, again = false;
    async function refresh() {
      if (pending) { again = true; return; }
      pending = true;
      try {
        const res = await fetch(box.dataset.curves, { credentials: 'same-origin' });
        if (res.ok) box.innerHTML = await res.text();
      } catch (e) { /* the next event retries */ }
      pending = false;
      if (again) { again = false; refresh(); }
    }
    source.addEventListener('job', (ev) => {
      const job = JSON.parse(ev.data);
      state.textContent = job.state;
      const p = job.progress;
      if (p && p.epochs) progress.textContent = 'epoch ' + p.epoch + ' of ' + p.epochs + (p.etaSeconds != null && job.state === 'running' ? ', about ' + p.etaSeconds + ' s left' : '');
      refresh();
    });
    source.addEventListener('log', (ev) => {
      const line = JSON.parse(ev.data);
      const stamp = new Date(line.at).toISOString().replace('T', ' ').slice(0, 19);
      logs.textContent += (logs.textContent ? '\n' : '') + '[' + stamp + '] ' + line.line;
      logs.scrollTop = logs.scrollHeight;
    });
    source.addEventListener('end', (ev) => {
      source.close();
      state.textContent = JSON.parse(ev.data).state;
      refresh().then(() => setTimeout(() => location.reload(), 300));
    });
    source.onerror = () => { if (source.readyState === EventSource.CLOSED) state.textContent += ' (stream closed; reload to update)'; };
  }

  // ---- Compare selected jobs ---------------------------------------------------------------------------------
  function setupCompare(button) {
    button.addEventListener('click', () => {
      const ids = $$('.compare-box:checked').map((b) => b.value);
      const error = $('#compare-error');
      if (ids.length < 2 || ids.length > 8) { error.textContent = 'Select between 2 and 8 jobs to compare.'; return; }
      location.assign(button.dataset.compare + '?jobs=' + ids.join(','));
    });
  }

  // ---- Try a deployment -------------------------------------------------------------------------------------
  async function setupTry(form) {
    const name = form.dataset.model, box = $('#try-fields', form);
    const labels = JSON.parse($('#try-labels').textContent || '[]');
    let meta;
    try { meta = await api('GET', '/v2/models/' + encodeURIComponent(name)); }
    catch (e) { box.innerHTML = '<p class="hint">The model cannot be read yet: ' + escapeHTML(e.message) + '</p>'; return; }
    const inputs = meta.inputs;
    box.textContent = '';
    let mode = 'table', image = null;
    if (inputs.length === 1 && inputs[0].datatype === 'BYTES') {
      mode = 'text';
      box.innerHTML = '<div class="field wide"><label for="try-text">' + escapeHTML(inputs[0].name) + ' (one per line)</label>' +
        '<textarea id="try-text" rows="3" required></textarea><span class="field-error" id="try-text-error" role="alert"></span></div>';
    } else if (inputs.length === 1 && inputs[0].datatype !== 'BYTES') {
      const dims = inputs[0].shape.slice(1);
      const size = dims.reduce((a, b) => a * b, 1);
      const side = Math.round(Math.sqrt(size));
      const channels = dims.length >= 3 ? dims.filter((d) => d === 1 || d === 3).slice(-1)[0] || 1 : 1;
      const spatial = dims.filter((d) => d > 3);
      if (spatial.length >= 2 || (dims.length === 1 && side * side === size && size >= 64)) {
        mode = 'image';
        image = { h: spatial.length >= 2 ? spatial[0] : side, w: spatial.length >= 2 ? spatial[1] : side, channels: channels, channelsFirst: dims[0] === channels && dims.length === 3 };
        box.innerHTML = '<div class="field"><label for="try-image">Image (scaled to ' + image.w + '×' + image.h + ')</label>' +
          '<input id="try-image" type="file" accept="image/*" required><span class="field-error" id="try-image-error" role="alert"></span></div>' +
          '<canvas id="try-canvas" width="' + image.w + '" height="' + image.h + '" aria-label="The image as the model sees it"></canvas>' +
          '<div class="field"><label for="try-method">Explain by</label><select id="try-method">' +
          '<option value="integrated_gradients">integrated gradients</option><option value="grad_cam">Grad-CAM</option>' +
          '<option value="saliency">saliency</option></select></div>';
        $('#try-image', form).addEventListener('change', () => drawImage(form, image));
      } else {
        box.innerHTML = '<div class="field wide"><label for="try-vector">' + escapeHTML(inputs[0].name) + ' (' + size + ' numbers, comma-separated)</label>' +
          '<textarea id="try-vector" rows="2" required></textarea><span class="field-error" id="try-vector-error" role="alert"></span></div>';
        mode = 'vector';
      }
    } else {
      inputs.forEach((input, i) => {
        // One field per input: a value per row (table columns), or a list of numbers (a model's tensor input).
        const numeric = input.datatype !== 'BYTES';
        const dims = input.shape.slice(1), size = dims.reduce((a, b) => a * b, 1);
        const list = numeric && dims.length > 0 && size > 1;
        const wrap = document.createElement('div');
        wrap.className = list ? 'field wide' : 'field';
        const attributes = ' id="try-' + i + '" class="try-field" name="' + escapeHTML(input.name) + '" data-datatype="' + input.datatype + '"' +
          (list ? " data-dims='" + JSON.stringify(dims) + "'" : '');
        wrap.innerHTML = '<label for="try-' + i + '">' + escapeHTML(input.name) + (list ? ' (' + size + ' numbers, comma-separated)' : '') + '</label>' +
          (list ? '<textarea' + attributes + ' rows="2" required></textarea>'
                : '<input' + attributes + (numeric ? ' type="number" step="any"' : '') + ' required>') +
          '<span class="field-error" id="try-' + i + '-error" role="alert"></span>';
        box.appendChild(wrap);
      });
    }
    // The rows of the request, from the fields (null when a field is at fault; its error is shown).
    function rows() {
      if (mode === 'text') {
        const lines = $('#try-text', form).value.split('\n').map((s) => s.trim()).filter((s) => s);
        return { inputs: [{ name: inputs[0].name, shape: [lines.length], datatype: 'BYTES', data: lines }] };
      } else if (mode === 'image') {
        if (!form.dataset.pixels) { fieldError($('#try-image', form), 'Choose an image file the browser can read.'); return null; }
        const pixels = JSON.parse(form.dataset.pixels);
        return { inputs: [{ name: inputs[0].name, shape: [1].concat(inputs[0].shape.slice(1)), datatype: 'UINT8', data: pixels }] };
      } else if (mode === 'vector') {
        const values = $('#try-vector', form).value.split(/[\s,]+/).filter((s) => s).map(Number);
        if (values.some((v) => !isFinite(v))) { fieldError($('#try-vector', form), 'Every value must be a number.'); return null; }
        return { inputs: [{ name: inputs[0].name, shape: [1].concat(inputs[0].shape.slice(1)), datatype: 'FP32', data: values }] };
      }
      return { inputs: $$('.try-field', form).map((el) => el.dataset.dims
        ? { name: el.name, shape: [1].concat(JSON.parse(el.dataset.dims)), datatype: 'FP32',
            data: el.value.split(/[\s,]+/).filter((s) => s).map(Number) }
        : { name: el.name, shape: [1], datatype: el.dataset.datatype === 'BYTES' ? 'BYTES' : 'FP32',
            data: [el.dataset.datatype === 'BYTES' ? el.value : Number(el.value)] }) };
    }
    const explainButton = $('#try-explain', form);
    // Predict (infer) or Explain (the same inputs to …/explain, with the chosen method for images).
    async function send(explain) {
      if (form.dataset.busy) return;
      clearErrors(form);
      if (!validate(form)) return;
      const request = rows();
      if (!request) return;
      busy(form, true);
      if (explainButton) explainButton.disabled = true;
      try {
        const base = '/v2/models/' + encodeURIComponent(name);
        if (explain) {
          const method = $('#try-method', form), box = $('#try-explanation');
          if (method) request.parameters = { method: method.value };
          delete box.dataset.method;
          box.innerHTML = '<p class="hint" id="try-explaining">Explaining…</p>';
          const res = await call('POST', base + '/explain', request);
          showExplanation(res.data, $('#try-canvas', form));
        } else {
          const res = await call('POST', base + '/infer', request);
          showPrediction(res.data, res.headers.get('X-Kouzi-Variant'), labels);
        }
      } catch (err) {
        showError(form, err);
        if (explain) $('#try-explanation').textContent = '';
      }
      busy(form, false);
      if (explainButton) explainButton.disabled = false;
    }
    form.addEventListener('submit', (ev) => { ev.preventDefault(); send(false); });
    if (explainButton) explainButton.addEventListener('click', () => send(true));
  }

  function drawImage(form, image) {
    const file = $('#try-image', form).files[0];
    delete form.dataset.pixels;
    if (!file) return;
    const url = URL.createObjectURL(file), img = new Image();
    img.onload = () => {
      const canvas = $('#try-canvas', form), ctx = canvas.getContext('2d');
      ctx.fillStyle = '#000'; ctx.fillRect(0, 0, image.w, image.h);
      ctx.drawImage(img, 0, 0, image.w, image.h);
      const rgba = ctx.getImageData(0, 0, image.w, image.h).data, out = [];
      if (image.channels === 3 && image.channelsFirst) {
        for (let c = 0; c < 3; c++) for (let i = 0; i < image.w * image.h; i++) out.push(rgba[i * 4 + c]);
      } else {
        for (let i = 0; i < image.w * image.h; i++) {
          if (image.channels === 3) out.push(rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]);
          else out.push(Math.round((rgba[i * 4] + rgba[i * 4 + 1] + rgba[i * 4 + 2]) / 3));
        }
      }
      form.dataset.pixels = JSON.stringify(out);
      URL.revokeObjectURL(url);
    };
    img.onerror = () => fieldError($('#try-image', form), 'The browser cannot read this file as an image.');
    img.src = url;
  }

  function showPrediction(answer, variant, labels) {
    const box = $('#try-result');
    const out = {};
    for (const o of answer.outputs) out[o.name] = o;
    let html = '';
    if (out.label) {
      html += '<p>Prediction: <strong class="prediction-label">' + escapeHTML(out.label.data[0]) + '</strong>' +
        ' (version ' + escapeHTML(answer.model_version) + (variant ? ', variant ' + escapeHTML(variant) : '') + ')</p>';
    } else if (out.predictions) {
      html += '<p>Prediction: <strong class="prediction-label">' + escapeHTML(out.predictions.data.slice(0, out.predictions.shape[1] || 1).join(', ')) + '</strong></p>';
    }
    if (out.probabilities) {
      const width = out.probabilities.shape[1], row = out.probabilities.data.slice(0, width);
      const order = row.map((p, i) => i).sort((a, b) => row[b] - row[a]);
      html += '<table id="try-probabilities"><caption>Class probabilities</caption><thead><tr><th scope="col">Class</th><th scope="col" class="num">Probability</th><th scope="col"></th></tr></thead><tbody>' +
        order.map((i) => '<tr><td>' + escapeHTML(labels[i] != null ? labels[i] : 'class ' + i) + '</td><td class="num">' + row[i].toFixed(4) +
          '</td><td><span class="prob-bar" data-share="' + row[i] + '"></span></td></tr>').join('') + '</tbody></table>';
    }
    box.innerHTML = html;
    $$('.prob-bar', box).forEach((bar) => { bar.style.width = Math.round(Number(bar.dataset.share) * 100) + '%'; });
  }

  // ---- Explanations in the try-it panel: bars per column, coloured tokens, a heat map over the image -----------
  function fmt(v) {
    if (v == null || !isFinite(v)) return '–';
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return Number(v).toExponential(2);
    return String(Number(Number(v).toPrecision(4)));
  }
  const signed = (v) => (v > 0 ? '+' : v < 0 ? '−' : '±') + fmt(Math.abs(v));
  const clip = (t, n) => (t.length > n ? t.slice(0, n - 1) + '…' : t);
  const valueText = (v) => (typeof v === 'number' ? fmt(v) : v == null ? 'missing' : String(v));
  const largest = (values) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1e-12;

  // Horizontal bars from zero: what each column added to (orange) or took from (blue) the prediction.
  function attributionChart(features, row, index) {
    const items = features.map((f) => ({ name: f.name, value: f.value, a: Number(f.attribution) || 0 }))
      .sort((x, y) => Math.abs(y.a) - Math.abs(x.a));
    const W = 620, left = 210, right = 16, top = 34, rowH = 24, bottom = 36, H = top + bottom + rowH * items.length;
    let lo = Math.min(0, ...items.map((d) => d.a)), hi = Math.max(0, ...items.map((d) => d.a));
    const span = (hi - lo) || 1;
    if (lo < 0) lo -= span * 0.2;
    if (hi > 0) hi += span * 0.2;
    const sx = (v) => left + (v - lo) / (hi - lo) * (W - left - right);
    const what = row.target != null ? 'the probability of ' + row.target : 'the prediction';
    let s = '<svg class="chart attribution-chart" id="try-attributions-' + index + '" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + ' ' + H +
      '" role="img" aria-label="' + escapeHTML('Attribution per column to ' + what + ': ' + items.map((d) => d.name + ' ' + signed(d.a)).join(', ')) + '">' +
      '<rect class="pos-fill" x="10" y="10" width="12" height="10"/><text class="legend" x="27" y="19">raises ' + escapeHTML(what) + '</text>' +
      '<rect class="neg-fill" x="' + (W / 2) + '" y="10" width="12" height="10"/><text class="legend" x="' + (W / 2 + 17) + '" y="19">lowers it</text>';
    items.forEach((d, k) => {
      const y = top + k * rowH, x0 = sx(Math.min(0, d.a)), x1 = sx(Math.max(0, d.a)), label = d.name + ' = ' + valueText(d.value);
      s += '<g class="attribution ' + (d.a >= 0 ? 'positive' : 'negative') + '" data-feature="' + escapeHTML(d.name) + '" data-attribution="' + d.a + '">' +
        '<title>' + escapeHTML(label + ': ' + signed(d.a)) + '</title>' +
        '<text class="tick" x="' + (left - 8) + '" y="' + (y + rowH / 2 + 4) + '" text-anchor="end">' + escapeHTML(clip(label, 32)) + '</text>' +
        '<rect class="' + (d.a >= 0 ? 'pos-fill' : 'neg-fill') + '" x="' + x0.toFixed(1) + '" y="' + (y + 5) + '" width="' + Math.max(1, x1 - x0).toFixed(1) + '" height="' + (rowH - 10) + '"/>' +
        '<text class="tick" x="' + (d.a >= 0 ? x1 + 4 : x0 - 4).toFixed(1) + '" y="' + (y + rowH / 2 + 4) + '" text-anchor="' + (d.a >= 0 ? 'start' : 'end') + '">' + signed(d.a) + '</text></g>';
    });
    s += '<line class="zero" x1="' + sx(0).toFixed(1) + '" x2="' + sx(0).toFixed(1) + '" y1="' + (top - 2) + '" y2="' + (H - bottom) + '"/>' +
      '<text class="axis-label" x="' + ((left + W - right) / 2) + '" y="' + (H - 10) + '" text-anchor="middle">contribution to ' + escapeHTML(what) + '</text></svg>';
    return s;
  }

  // The sentence's tokens, coloured by attribution on a diverging scale (orange raises, blue lowers).
  function tokenView(tokens, row, index) {
    const max = largest(tokens.map((t) => Number(t.attribution) || 0));
    const what = row.target != null ? 'the probability of ' + row.target : 'the prediction';
    return '<p class="tokens" id="try-tokens-' + index + '">' + tokens.map((t) => {
      const a = Number(t.attribution) || 0;
      return '<span class="token" data-token="' + escapeHTML(t.token) + '" data-attribution="' + a + '" data-share="' + (a / max) + '" title="' +
        escapeHTML(t.token + ': ' + signed(a)) + '">' + escapeHTML(t.token) + '<span class="sr-only"> (' + signed(a) + ')</span></span>';
    }).join(' ') + '</p><p class="hint"><span class="swatch pos-bg"></span> raises ' + escapeHTML(what) +
      ' · <span class="swatch neg-bg"></span> lowers it; the stronger the colour, the larger the effect. Point at a word for its number.</p>';
  }

  // The image as the model saw it, scaled up, with the heat map over it (orange: raises the score, blue: lowers it;
  // opacity: how much).
  function drawHeatmap(canvas, heat, source) {
    const h = heat.shape[0], w = heat.shape[1], data = heat.data.map((v) => Number(v) || 0);
    const max = largest(data), scale = Math.max(1, Math.floor(224 / Math.max(w, h)));
    canvas.width = w * scale; canvas.height = h * scale;
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = '#000'; ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (source) ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    const layer = document.createElement('canvas');
    layer.width = w; layer.height = h;
    const lctx = layer.getContext('2d'), pixels = lctx.createImageData(w, h);
    let peak = 0;
    data.forEach((v, k) => {
      const share = v / max, colour = share >= 0 ? [255, 96, 0] : [30, 140, 255];
      pixels.data[k * 4] = colour[0]; pixels.data[k * 4 + 1] = colour[1]; pixels.data[k * 4 + 2] = colour[2];
      pixels.data[k * 4 + 3] = Math.round(Math.min(1, Math.abs(share)) * 0.7 * 255);
      if (Math.abs(v) > Math.abs(data[peak])) peak = k;
    });
    lctx.putImageData(pixels, 0, 0);
    ctx.drawImage(layer, 0, 0, canvas.width, canvas.height);
    canvas.dataset.peak = Math.floor(peak / w) + ',' + (peak % w);
    canvas.dataset.cells = String(w * h);
  }

  function showExplanation(answer, source) {
    const box = $('#try-explanation');
    let html = '<h3>Explanation</h3><p class="hint">Method <strong id="try-explain-method">' + escapeHTML(answer.method) + '</strong>' +
      (answer.model_version ? ', version ' + escapeHTML(answer.model_version) : '') + '.</p>';
    answer.explanations.forEach((row, i) => {
      const attributions = (row.features || row.tokens || []).map((f) => Number(f.attribution) || 0);
      const total = attributions.reduce((a, b) => a + b, 0);
      let caption = (answer.explanations.length > 1 ? 'Row ' + (i + 1) + ' · ' : '') +
        (row.target != null ? 'class <strong class="explained-class">' + escapeHTML(row.target) + '</strong>: ' : '') +
        (row.base_value != null ? 'base value ' + fmt(row.base_value) + ' → ' : '') + 'prediction ' + fmt(row.prediction);
      if (attributions.length && row.base_value != null) caption += ' <span class="hint">(the attributions add up to ' + signed(total) + ')</span>';
      else if (row.completeness_gap != null) caption += ' <span class="hint">(completeness gap ' + fmt(row.completeness_gap) + ')</span>';
      let content = '';
      if (row.features) content = attributionChart(row.features, row, i);
      else if (row.tokens) content = tokenView(row.tokens, row, i);
      else if (row.heatmap) {
        const unsigned = answer.method === 'grad_cam' || answer.method === 'saliency', what = row.target != null ? 'class ' + row.target : 'the prediction';
        content = '<canvas class="heatmap" id="try-heatmap-' + i + '" data-row="' + i + '" role="img" aria-label="' +
          escapeHTML(answer.method + ' heat map over the image for ' + what) + '"></canvas><p class="hint">' + (unsigned
            ? '<span class="swatch pos-bg"></span> the stronger, the more the pixel mattered to ' + escapeHTML(what) + ' (this method shows how much, not which way)'
            : '<span class="swatch pos-bg"></span> raises the score of ' + escapeHTML(what) + ' · <span class="swatch neg-bg"></span> lowers it') +
          '; the more opaque, the larger the effect.</p>';
      }
      html += '<figure class="explanation" data-row="' + i + '" data-prediction="' + row.prediction + '"' +
        (row.base_value != null ? ' data-base="' + row.base_value + '"' : '') + ' data-total="' + total + '"><figcaption>' + caption + '</figcaption>' + content + '</figure>';
    });
    box.innerHTML = html;
    box.dataset.method = answer.method;
    answer.explanations.forEach((row, i) => {
      const canvas = document.getElementById('try-heatmap-' + i);
      if (canvas && row.heatmap) drawHeatmap(canvas, row.heatmap, source);
    });
    $$('.token', box).forEach((el) => {
      const share = Number(el.dataset.share), strength = 0.1 + 0.8 * Math.min(1, Math.abs(share));
      el.style.backgroundColor = share >= 0 ? 'rgba(230, 85, 13, ' + strength + ')' : 'rgba(31, 119, 180, ' + strength + ')';
      if (strength > 0.6) el.classList.add('strong');
    });
  }

  // ---- A/B split editor ---------------------------------------------------------------------------------------
  function setupSplit(form) {
    const body = $('#split-rows tbody', form), template = $('#split-row-template');
    let added = 0;
    $('#split-add', form).addEventListener('click', () => {
      const row = template.content.firstElementChild.cloneNode(true);
      added += 1;
      const select = $('select', row); select.id = 'split-version-new' + added;
      body.appendChild(row);
      $('.split-name', row).focus();
    });
    form.addEventListener('click', (ev) => {
      if (ev.target.classList.contains('split-remove')) ev.target.closest('tr').remove();
    });
    form.addEventListener('input', (ev) => {
      if (ev.target.classList.contains('split-name')) {
        const row = ev.target.closest('tr'), key = ev.target.value.trim() || 'new';
        row.dataset.variant = key;
        $$('.split-weight, .split-version', row).forEach((el) => { el.dataset.variant = key; });
      }
    });
    async function save(variants) {
      busy(form, true);
      try { await api('PUT', form.dataset.split, { variants: variants }); location.reload(); }
      catch (err) { formError(form).textContent = err.message; busy(form, false); }
    }
    $('#split-clear', form).addEventListener('click', () => { if (!form.dataset.busy) save([]); });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (form.dataset.busy) return;
      clearErrors(form);
      if (!validate(form)) return;
      const rows = $$('tr.split-row', body), names = new Set(), variants = [];
      let total = 0, bad = false;
      for (const row of rows) {
        const nameInput = $('.split-name', row), weightInput = $('.split-weight', row);
        const name = nameInput.value.trim(), shadow = $('.split-shadow', row).checked, weight = Number(weightInput.value || 0);
        if (names.has(name)) { fieldError(nameInput, 'Each variant needs its own name.'); bad = true; }
        names.add(name);
        if (!shadow && !(weight >= 0)) { fieldError(weightInput, 'A weight is a number from 0 to 100.'); bad = true; }
        if (!shadow) total += weight;
        variants.push({ name: name, version: $('.split-version', row).value, weight: shadow ? 0 : weight / 100, shadow: shadow });
      }
      if (!rows.length) { formError(form).textContent = 'Add at least one variant, or use “End split”.'; return; }
      if (!bad && total <= 0) { formError(form).textContent = 'At least one variant that is not a shadow needs a weight above 0.'; bad = true; }
      if (!bad && Math.abs(total - 100) > 0.01) { formError(form).textContent = 'The weights add up to ' + total + ' %; make them add up to 100 %.'; bad = true; }
      if (!bad) save(variants);
    });
  }

  // ---- Cleaning-pipeline builder -------------------------------------------------------------------------------
  function setupClean(form) {
    const columns = JSON.parse($('#clean-columns').textContent), list = $('#clean-steps', form);
    const needs = { dropMissing: 'all', impute: 'all', dropDuplicates: 'all', clip: 'numeric', standardize: 'numeric', normalize: 'numeric', dropColumns: 'all' };
    let count = 0;
    $('#clean-add', form).addEventListener('click', () => {
      const op = $('#clean-op', form).value, li = document.createElement('li');
      count += 1;
      li.className = 'clean-step'; li.dataset.op = op;
      const title = $('#clean-op option:checked', form).textContent;
      const boxes = columns[needs[op]].map((c) => '<label class="check"><input type="checkbox" value="' + escapeHTML(c) + '">' + escapeHTML(c) + '</label>').join('');
      li.innerHTML = '<strong>' + escapeHTML(title) + '</strong> <span class="hint">columns (none chosen: ' + (op === 'dropMissing' || op === 'dropDuplicates' ? 'all' : 'choose at least one') + ')</span>' +
        '<div class="checks">' + boxes + '</div>' + (op === 'impute' ? '<label>Fill with <select class="clean-strategy"><option>median</option><option>mean</option><option value="mostFrequent">most frequent</option></select></label>' : '') +
        '<button type="button" class="link-button clean-remove">Remove step</button>';
      list.appendChild(li);
    });
    list.addEventListener('click', (ev) => { if (ev.target.classList.contains('clean-remove')) ev.target.closest('li').remove(); });
    function steps() {
      return $$('li.clean-step', list).map((li) => {
        const chosen = $$('input:checked', li).map((b) => b.value), op = li.dataset.op, step = { op: op };
        if (chosen.length || (op !== 'dropMissing' && op !== 'dropDuplicates')) step.columns = chosen;
        if (op === 'dropMissing') step.how = 'any';
        if (op === 'impute') step.strategy = $('.clean-strategy', li).value;
        if (op === 'clip') { step.lowerQuantile = 0.01; step.upperQuantile = 0.99; }
        return step;
      });
    }
    async function run(preview) {
      if (form.dataset.busy) return;
      clearErrors(form);
      const s = steps();
      if (!s.length) { formError(form).textContent = 'Add a step first.'; return; }
      busy(form, true);
      try {
        const result = await api('POST', form.dataset.clean + (preview ? '/clean/preview' : '/clean'), { steps: s, previewRows: 10 });
        if (!preview) { location.assign(fill(form.dataset.redirect, { number: result.version.number })); return; }
        const r = result.result;
        let html = '<p>' + r.steps.map((st) => escapeHTML(st.op) + ': ' + st.rowsBefore + ' → ' + st.rowsAfter + ' rows, ' + st.cellsChanged + ' cells changed').join('; ') + '</p>';
        html += '<div class="table-wrap"><table id="clean-preview-table"><thead><tr>' + r.table.header.map((h) => '<th scope="col">' + escapeHTML(h) + '</th>').join('') + '</tr></thead><tbody>' +
          r.table.rows.map((row) => '<tr>' + row.map((c) => '<td>' + (c == null ? '<em>missing</em>' : escapeHTML(c)) + '</td>').join('') + '</tr>').join('') + '</tbody></table></div>';
        $('#clean-preview', form).innerHTML = html;
      } catch (err) { formError(form).textContent = err.message; }
      busy(form, false);
    }
    $('#clean-preview-button', form).addEventListener('click', () => run(true));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); run(false); });
  }

  // ---- Labelling: one item at a time, labels by button or number key --------------------------------------------
  function setupLabel(panel) {
    const box = $('#label-item', panel), error = $('#label-error', panel);
    let item = null, sending = false;
    function show(content) {
      if (content && typeof content.path === 'string') {
        const src = panel.dataset.media + '/' + item.index + '/media';
        const audio = /\.(wav|mp3|ogg|flac)$/i.test(content.path);
        box.innerHTML = '<p class="hint">' + escapeHTML(content.path) + '</p>' + (audio
          ? '<audio controls autoplay src="' + src + '" id="label-audio"></audio>'
          : '<img id="label-image" alt="' + escapeHTML(content.path) + '" src="' + src + '">');
        return;
      }
      const entries = Object.entries(content || {}).filter((e) => e[0] !== panel.dataset.column);
      const long = entries.filter((e) => typeof e[1] === 'string' && e[1].length > 60);
      box.innerHTML = long.map((e) => '<blockquote class="label-text">' + escapeHTML(e[1]) + '</blockquote>').join('') +
        '<dl class="facts">' + entries.filter((e) => long.indexOf(e) < 0).map((e) =>
          '<div><dt>' + escapeHTML(e[0]) + '</dt><dd>' + (e[1] == null ? '<em>missing</em>' : escapeHTML(e[1])) + '</dd></div>').join('') + '</dl>';
    }
    async function progress() {
      try {
        const task = await api('GET', panel.dataset.api);
        $('#label-progress').textContent = task.completeItems + ' of ' + task.itemCount + ' items complete';
        const bar = $('#label-progress-bar'); bar.max = task.itemCount; bar.value = task.completeItems;
        $('#label-annotations').textContent = task.annotationCount;
      } catch (e) { /* the counts refresh with the next answer */ }
    }
    async function next() {
      const res = await fetch(panel.dataset.api + '/next', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
      if (res.status === 204) {
        item = null;
        box.innerHTML = '<p id="label-done">Every item has your label. Thank you.</p>';
        $$('.label-choice', panel).forEach((b) => { b.disabled = true; });
        return;
      }
      if (!res.ok) { error.textContent = 'Could not load the next item (' + res.status + ').'; return; }
      item = await res.json();
      box.dataset.index = item.index;
      show(item.content);
    }
    async function answer(label) {
      if (!item || sending) return;
      sending = true; error.textContent = '';
      try {
        await api('POST', panel.dataset.api + '/annotations', { item: item.index, label: label });
        await Promise.all([next(), progress()]);
      } catch (err) { error.textContent = err.message; }
      sending = false;
    }
    panel.addEventListener('click', (ev) => {
      const b = ev.target.closest('.label-choice');
      if (b) answer(b.dataset.label);
    });
    document.addEventListener('keydown', (ev) => {
      const t = ev.target;
      if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      const b = $('.label-choice[data-key="' + ev.key + '"]', panel);
      if (b && !b.disabled) { ev.preventDefault(); answer(b.dataset.label); }
    });
    const textForm = $('#label-text-form', panel);
    if (textForm) textForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = $('#label-text', textForm);
      if (input.value.trim()) { answer(input.value.trim()); input.value = ''; }
    });
    next();
  }

  // ---- Keyboard: g then 1–5 switches section, ? shows the keys -----------------------------------------------
  function setupKeys() {
    let pendingG = false;
    document.addEventListener('keydown', (ev) => {
      const t = ev.target;
      if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)))) return;
      if (ev.key === '?') { const h = $('#help'); if (h && !h.open) h.showModal(); return; }
      if (ev.key === 'g') { pendingG = true; setTimeout(() => { pendingG = false; }, 1500); return; }
      if (pendingG && /^[1-5]$/.test(ev.key)) { const a = $('#nav a[data-key="' + ev.key + '"]'); if (a) location.assign(a.href); pendingG = false; }
    });
  }

  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (form.matches('form[data-api]')) { ev.preventDefault(); submitAPI(form); }
    else if (form.matches('form[data-upload]')) { ev.preventDefault(); submitUpload(form); }
    else if (form.matches('form[data-once]')) {
      if (form.dataset.busy) { ev.preventDefault(); return; }
      form.dataset.busy = '1';
    }
  });
  document.addEventListener('DOMContentLoaded', () => {
    setupKeys();
    const sw = $('#project-switch');
    if (sw) sw.addEventListener('change', () => location.assign(sw.value));
    const train = $('#train-form'); if (train) setupTrain(train);
    const curves = $('#curves[data-events]'); if (curves) setupJob(curves);
    const compare = $('#compare-button'); if (compare) setupCompare(compare);
    const tryForm = $('#try-form'); if (tryForm) setupTry(tryForm);
    const split = $('#split-form'); if (split) setupSplit(split);
    const clean = $('#clean-form'); if (clean) setupClean(clean);
    const label = $('#label-panel'); if (label) setupLabel(label);
    const refresh = $('[data-refresh]');
    if (refresh) setTimeout(() => location.reload(), Number(refresh.dataset.refresh) * 1000);
  });
})();
"""#

    static let style = #"""
:root { --fg: #1b1f24; --muted: #5a6470; --line: #d5dae0; --bg: #f6f7f9; --card: #fff; --accent: #1f5fbf; --bad: #b3261e; --good: #1e7b34; --warn: #9a6700; }
* { box-sizing: border-box; }
html { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, [tabindex]:focus-visible, svg a:focus-visible rect {
  outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; z-index: 10; }
.skip:focus { left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; padding: .6rem 1.25rem; background: #10243f; color: #fff; }
header.top a { color: #fff; }
.brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
#nav { display: flex; flex-wrap: wrap; gap: .25rem; }
#nav a { padding: .3rem .65rem; border-radius: 4px; text-decoration: none; }
#nav a[aria-current="page"] { background: #2b4f80; }
#nav a:hover { background: #23436d; }
.who { margin-left: auto; display: flex; gap: .75rem; align-items: center; font-size: .9rem; }
.who form { margin: 0; }
.project-switch select { background: #1d3a61; color: #fff; border: 1px solid #3d5f8f; }
main { padding: 1rem 1.25rem 2rem; max-width: 1400px; }
main.login { max-width: 30rem; margin: 8vh auto; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
section { margin-bottom: 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
.row { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
.field { display: flex; flex-direction: column; gap: .2rem; min-width: 11rem; }
.field.wide { flex: 1 1 100%; }
.card > .field { max-width: 32rem; }
label { font-weight: 600; font-size: .9rem; }
input, select, textarea, button { font: inherit; }
input, select, textarea { padding: .35rem .5rem; border: 1px solid #aab3bd; border-radius: 4px; background: #fff; color: var(--fg); }
input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"] { border-color: var(--bad); box-shadow: 0 0 0 1px var(--bad); }
.field-error, .form-error, .error-text { color: var(--bad); font-size: .88rem; }
.field-error:empty, .form-error:empty { display: none; }
.hint { color: var(--muted); font-size: .85rem; }
button { padding: .4rem .9rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button:disabled { opacity: .55; cursor: progress; }
.link-button { background: none; border: none; color: inherit; text-decoration: underline; padding: 0; }
form.inline { display: inline-flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .25rem .5rem .25rem 0; max-width: 100%; }
td input:not([type=checkbox]), td select { width: 100%; min-width: 4.5rem; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: .75rem 0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; background: var(--card); min-width: 20rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #eef1f4; font-size: .88rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.differs td:first-child { font-weight: 700; }
tr.differs { background: #fff8e1; }
tr.drifted { background: #fdecea; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .8rem; background: #e3e7ec; color: #26313d; }
.badge-ready, .badge-succeeded, .badge-ok, .badge-resolved { background: #dcf3e2; color: var(--good); }
.badge-failed, .badge-firing, .badge-error, .badge-degraded { background: #fbe0dd; color: var(--bad); }
.badge-running, .badge-loading, .badge-queued, .badge-warning { background: #fff1cc; color: var(--warn); }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .5rem 1rem; margin: 0 0 1rem; }
dl.facts div { background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: .4rem .6rem; }
dt { color: var(--muted); font-size: .8rem; }
dd { margin: 0; }
pre.json, pre.logs { background: #0f1720; color: #d7e0ea; padding: .75rem; border-radius: 4px; overflow: auto; max-height: 22rem; font-size: .85rem; }
.empty { color: var(--muted); font-style: italic; }
figure { margin: 0 0 1rem; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: .75rem; }
.chart-grid.wide { grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
svg.chart { max-width: 100%; height: auto; background: var(--card); border: 1px solid var(--line); border-radius: 4px; font-size: 11px; }
svg.distribution { border: none; }
svg .grid { stroke: #e5e8ec; }
svg .axis { stroke: #55606b; }
svg .reference { stroke: #8a939c; stroke-dasharray: 4 4; }
svg .tick, svg .legend { fill: #3b4550; }
svg .axis-label { fill: #26313d; font-weight: 600; }
svg .chart-title { fill: #1b1f24; font-weight: 700; font-size: 12px; }
svg .chart-empty { fill: var(--muted); }
svg .cell-label { fill: #111; font-size: 11px; }
svg.lineage .edge { fill: none; stroke: #7d8793; stroke-width: 1.5; }
svg.lineage rect { fill: #fff; stroke: #7d8793; }
svg.lineage .current rect { fill: #e3edfb; stroke: var(--accent); stroke-width: 2; }
svg.lineage .node-title { font-weight: 700; fill: #1b1f24; }
svg.lineage .node-detail { fill: var(--muted); }
svg.ci { width: 100px; height: 12px; }
svg.ci .ci-axis { stroke: #d5dae0; } svg.ci .ci-range { stroke: var(--accent); stroke-width: 4; } svg.ci .ci-point { fill: #10243f; }
.prob-bar { display: inline-block; height: .7rem; background: var(--accent); border-radius: 2px; min-width: 1px; }
#label-image { max-width: 100%; max-height: 360px; image-rendering: pixelated; min-width: 140px; border: 1px solid var(--line); }
blockquote.label-text { font-size: 1.1rem; margin: .5rem 0; padding: .5rem .75rem; border-left: 4px solid var(--accent); background: #fff; }
progress { width: 100%; }
#try-canvas { width: 112px; height: 112px; image-rendering: pixelated; border: 1px solid var(--line); }
#try-explanation figure { margin: .75rem 0; }
#try-explanation figcaption { margin-bottom: .35rem; }
svg .pos-fill { fill: #e6550d; } svg .neg-fill { fill: #1f77b4; }
svg .zero { stroke: #55606b; stroke-width: 1.5; }
p.tokens { font-size: 1.1rem; line-height: 2.1; background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: .35rem .6rem; max-width: 48rem; }
.token { padding: .15rem .3rem; border-radius: 3px; cursor: help; }
.token.strong { color: #fff; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: middle; }
.pos-bg { background: #e6550d; } .neg-bg { background: #1f77b4; }
canvas.heatmap { image-rendering: pixelated; border: 1px solid var(--line); max-width: 100%; height: auto; background: #000; }
svg.interval-chart .interval-bar { fill: #7fa7d9; } svg.interval-chart .interval-bar.negative { fill: #c5cbd3; }
svg .whisker { stroke: #10243f; stroke-width: 1.5; }
#importances-compare td.current, #importances-compare th.current { background: #e3edfb; }
#importances-compare tr.baseline th, #importances-compare tr.baseline td { background: #f3f5f8; font-size: .88rem; }
#importances-compare tbody th { font-weight: 600; background: none; font-size: inherit; }
#explain-form { margin-top: 1rem; }
#explain-form h3 { margin: 0 0 .5rem; font-size: 1rem; }
#explain-form .row { margin-bottom: .75rem; }
#importances-section h3, #try-explanation h3 { font-size: 1rem; margin: 1rem 0 .35rem; }
#importances-compare caption { font-weight: 400; color: var(--muted); font-size: .85rem; }
.toolbar { display: flex; gap: .75rem; align-items: center; margin: .25rem 0 .5rem; }
.checks { display: flex; flex-wrap: wrap; gap: .25rem .75rem; margin: .25rem 0; }
label.check { font-weight: 400; display: inline-flex; gap: .25rem; align-items: center; }
#clean-steps li { margin: .5rem 0; }
footer.keys { color: var(--muted); font-size: .8rem; padding: 0 1.25rem 1rem; }
dialog#help { max-width: 34rem; border: 1px solid var(--line); border-radius: 6px; }
dl.keys-list div { display: grid; grid-template-columns: 12rem 1fr; gap: .5rem; margin: .35rem 0; }
kbd { border: 1px solid #aab3bd; border-radius: 3px; padding: 0 .25rem; background: #fff; }
code { background: #eef1f4; padding: 0 .2rem; border-radius: 3px; }
@media (max-width: 720px) {
  html { font-size: 14px; }
  header.top { padding: .5rem .75rem; }
  .who { margin-left: 0; }
  main { padding: .75rem; }
  .chart-grid, .chart-grid.wide { grid-template-columns: 1fr; }
  .field { min-width: 100%; }
  .field input, .field select, .field textarea { width: 100%; }
  table { min-width: 0; }
  th, td { padding: .3rem .4rem; }
}
"""#
}
