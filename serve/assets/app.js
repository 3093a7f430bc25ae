/* planrep web intake: enhances the plain upload form with drag and drop and
   a progress bar. Every page works without it. Written for old browsers too
   (no arrow functions, no let/const, no fetch). */
(function () {
  var doc = document;
  if (!doc.querySelector || !window.FormData || !window.XMLHttpRequest) { return; }
  doc.documentElement.className += ' js';
  var form = doc.getElementById('upload');
  if (!form) { return; }
  var input = doc.getElementById('file');
  var drop = doc.getElementById('drop');
  var box = doc.getElementById('progress');
  var bar = doc.getElementById('bar');
  var text = doc.getElementById('ptext');
  var busy = false;

  function show(msg, pct) {
    box.removeAttribute('hidden');
    text.textContent = msg;
    if (pct !== null) { bar.style.width = pct + '%'; }
  }

  function send(file) {
    if (busy || !file) { return; }
    busy = true;
    var data = new FormData();
    data.append('csrf', form.elements.csrf.value);
    data.append('file', file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.setRequestHeader('Accept', 'application/json');
    if (xhr.upload) {
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          var pct = Math.round(e.loaded * 100 / e.total);
          show(pct < 100 ? '正在上传… ' + pct + '%' : '已上传，正在校验…', pct);
        }
      };
    }
    xhr.onload = function () {
      var res = null;
      try { res = JSON.parse(xhr.responseText); } catch (err) { res = null; }
      if (res && res.url) { show('校验完成，正在打开结果…', 100); window.location.href = res.url; return; }
      busy = false;
      if (res && res.csrf) { form.elements.csrf.value = res.csrf; }
      show((res && res.message) || ('上传失败（' + xhr.status + '），请刷新页面后重试。'), 0);
    };
    xhr.onerror = function () { busy = false; show('网络中断，上传没有完成：请检查网络后重试。', 0); };
    show('正在上传…', 0);
    xhr.send(data);
  }

  form.onsubmit = function (e) {
    if (!input.files || !input.files.length) { return true; }
    if (e && e.preventDefault) { e.preventDefault(); }
    send(input.files[0]);
    return false;
  };
  function stop(e) { if (e.preventDefault) { e.preventDefault(); } if (e.stopPropagation) { e.stopPropagation(); } }
  drop.ondragenter = drop.ondragover = function (e) { stop(e); drop.className = 'drop over'; return false; };
  drop.ondragleave = function (e) { stop(e); drop.className = 'drop'; return false; };
  drop.ondrop = function (e) {
    stop(e);
    drop.className = 'drop';
    var files = e.dataTransfer && e.dataTransfer.files;
    if (!files || !files.length) { return false; }
    if (files.length > 1) { show('每次只能上传一个文件。', 0); return false; }
    send(files[0]);
    return false;
  };
})();
