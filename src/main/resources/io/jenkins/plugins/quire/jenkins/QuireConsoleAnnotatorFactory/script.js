/*
 * Quire CI build console: click a job header (==> job) or a command line ($ cmd) to fold its lines.
 * One delegated listener on the document (no inline handlers, no Prototype, no per-chunk rescans). A header is
 * paired with its end line on the client: a $ line with the next exit line, a job header with the next
 * "<== job <id> " line. Blocks still running have no end line yet and do not fold, nor do blocks with another
 * job's lines in between (concurrent jobs; each line's job is its "job |" column). Inert on other consoles.
 */
(function () {
    if (window.quireConsoleFolding || !document.addEventListener || !document.createRange) return;
    window.quireConsoleFolding = true;

    function hasClass(el, c) {
        return !!(el && el.className && typeof el.className === "string"
            && (" " + el.className + " ").indexOf(" " + c + " ") >= 0);
    }

    function textOf(el) {
        return el.textContent || "";
    }

    /* The job column ("build | ") of the line whose styled part is el, or "" for a line without one. */
    function columnOf(el) {
        for (var s = el.previousSibling; s; s = s.previousSibling) {
            if (hasClass(s, "quire-m")) continue;
            return hasClass(s, "quire-col") ? textOf(s) : "";
        }
        return "";
    }

    /* The first node of the line whose styled part is el (its markers and its column). */
    function lineStart(el) {
        var first = el;
        for (var s = el.previousSibling; s && (hasClass(s, "quire-m") || hasClass(s, "quire-col")); s = s.previousSibling) {
            first = s;
        }
        return first;
    }

    /*
     * The end line of a block, or null while the block is still running or when another job's lines are
     * interleaved with it (jobs run concurrently; folding a range would hide their lines too).
     */
    function findEnd(header) {
        var isJob = hasClass(header, "quire-job");
        var lines = document.querySelectorAll(".quire-col, .quire-job, .quire-cmd, .quire-exit, .quire-end");
        var i = 0;
        while (i < lines.length && lines[i] !== header) i++;
        var id = isJob ? textOf(header).replace(/^==> job /, "") : null;
        var column = isJob ? null : columnOf(header);
        for (i = i + 1; i < lines.length; i++) {
            var e = lines[i];
            if (hasClass(e, "quire-col")) {
                if (column === null) column = textOf(e);
                else if (textOf(e) !== column) return null;
                continue;
            }
            if (isJob) {
                if (hasClass(e, "quire-end") && textOf(e).indexOf("<== job " + id + " ") === 0) return e;
                if (hasClass(e, "quire-job") || hasClass(e, "quire-end")) return null;
            } else {
                if (hasClass(e, "quire-exit")) return columnOf(e) === column ? e : null;
                if (hasClass(e, "quire-cmd") || hasClass(e, "quire-job") || hasClass(e, "quire-end")) return null;
            }
        }
        return null;
    }

    function fold(header) {
        if (header.quireBody) {
            var folded = hasClass(header.quireBody, "quire-folded");
            header.quireBody.className = folded ? "quire-body" : "quire-body quire-folded";
            header.className = folded ? header.className.replace(/ quire-closed$/, "") : header.className + " quire-closed";
            return;
        }
        var end = findEnd(header);
        if (!end) return;
        var range = document.createRange();
        var after = header.nextSibling;
        if (after && after.nodeType === 3 && after.data.charAt(0) === "\n") range.setStart(after, 1);
        else range.setStartAfter(header);
        range.setEndBefore(lineStart(end));
        var body = document.createElement("span");
        body.className = "quire-body quire-folded";
        body.appendChild(range.extractContents());
        range.insertNode(body);
        header.quireBody = body;
        header.className = header.className + " quire-closed";
    }

    document.addEventListener("click", function (event) {
        if (window.getSelection && String(window.getSelection()) !== "") return; // the user is selecting text
        for (var t = event.target; t && t !== document; t = t.parentNode) {
            if (hasClass(t, "quire-job") || hasClass(t, "quire-cmd")) {
                fold(t);
                return;
            }
        }
    }, false);
})();
