/* FalkorDB's compact replies read straight from their bytes into plain values: the same
 * rows as conductgraph.graph.falkordb_reply.ReplyDecoder.rows makes from the redis client's
 * reply (graph/falkordb_reply.py, graph/falkordb_wire.py). Optional: without a C compiler
 * the package installs without it and reads go through the redis client.
 *
 * Why: through the client, hiredis first makes nested lists of a reply (an object per cell,
 * per kind and per property key: ~11,000 for each 65 KB hop of a 500-node subgraph) and the
 * Python decoder then makes the rows: ~2.3 + 1.4 ms of a request, most of the API's own
 * CPU. Read here, the rows come to ~0.5 ms (docs/api.md, Performance).
 *
 * frame_end(buffer, pos=0, pending=1) -> (pos, pending)   where one RESP value ends
 * reply(buffer, make_error)                                any RESP value, as hiredis reads it
 * query_reply(buffer, labels, properties, relationships, fallback, make_error)
 *                                                          a query's reply, its rows decoded
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <string.h>

enum { K_NULL = 1, K_STRING, K_INTEGER, K_BOOLEAN, K_DOUBLE, K_ARRAY, K_EDGE, K_NODE, K_PATH, K_MAP };

typedef struct {
    PyObject *labels, *properties, *relationships, *fallback;
} Ctx;

/* Interned keys and the boolean's text, made once at import. */
static PyObject *s_labels, *s_properties, *s_type, *s_true;

/* The schema's name for id ``i`` (a new reference); IndexError when the cached names do not
 * reach it yet: the caller refreshes them and decodes in Python. */
static PyObject *name_in(PyObject *table, long long i) {
    if (!PyList_Check(table) || i < 0 || i >= PyList_GET_SIZE(table)) {
        PyErr_SetString(PyExc_IndexError, "schema id not cached");
        return NULL;
    }
    PyObject *name = PyList_GET_ITEM(table, i);
    Py_INCREF(name);
    return name;
}

/* The bytes of a query's reply (RESP2) become its rows at once; anything else becomes what
 * hiredis would have made of it (``generic``), for the Python decoder. */

typedef struct {
    const char *p;
    Py_ssize_t size, pos;
    PyObject *make_error;  /* make_error(message) -> the exception an error reply stands for */
} Wire;

static int malformed(void) {
    PyErr_SetString(PyExc_ValueError, "malformed RESP reply");
    return -1;
}

/* The line at the cursor: its type byte, and its text (after the type byte, before \r\n). */
static int line(Wire *w, char *type, const char **text, Py_ssize_t *len) {
    if (w->pos >= w->size) return malformed();
    const char *start = w->p + w->pos;
    const char *nl = memchr(start, '\n', (size_t)(w->size - w->pos));
    if (!nl || nl - start < 2 || nl[-1] != '\r') return malformed();
    *type = start[0];
    *text = start + 1;
    *len = (nl - 1) - (start + 1);
    w->pos = (nl - w->p) + 1;
    return 0;
}

static int integer(const char *text, Py_ssize_t len, long long *out) {
    if (len < 1 || len > 20) return malformed();
    Py_ssize_t i = 0;
    int negative = 0;
    if (text[0] == '-') { negative = 1; i = 1; if (len == 1) return malformed(); }
    unsigned long long v = 0;
    for (; i < len; i++) {
        if (text[i] < '0' || text[i] > '9') return malformed();
        unsigned long long next = v * 10 + (unsigned long long)(text[i] - '0');
        if (next / 10 != v) return malformed();
        v = next;
    }
    if (v > (unsigned long long)LLONG_MAX + (negative ? 1ULL : 0ULL)) return malformed();
    *out = negative ? (long long)(0ULL - v) : (long long)v;
    return 0;
}

/* A line that must be of ``want`` type with an integer: an array's length or an int. */
static int number(Wire *w, char want, long long *out) {
    char type;
    const char *text;
    Py_ssize_t len;
    if (line(w, &type, &text, &len)) return -1;
    if (type != want) return malformed();
    return integer(text, len, out);
}

/* A bulk string's bytes (``*data`` NULL for a null bulk string). */
static int bulk(Wire *w, const char **data, Py_ssize_t *size) {
    long long n;
    if (number(w, '$', &n)) return -1;
    if (n < 0) { *data = NULL; *size = 0; return 0; }
    if (n > w->size - w->pos - 2 || w->p[w->pos + n] != '\r' || w->p[w->pos + n + 1] != '\n') {
        return malformed();
    }
    *data = w->p + w->pos;
    *size = (Py_ssize_t)n;
    w->pos += n + 2;
    return 0;
}

/* Any RESP2 value as hiredis (utf-8) makes it. */
static PyObject *generic(Wire *w, int depth) {
    char type;
    const char *text;
    Py_ssize_t len;
    long long n;
    if (depth > 64) { malformed(); return NULL; }
    Py_ssize_t at = w->pos;
    if (line(w, &type, &text, &len)) return NULL;
    switch (type) {
    case '+':
        return PyUnicode_DecodeUTF8(text, len, "strict");
    case '-': {
        /* As hiredis: an error's text is read leniently (FalkorDB may cut a query's text
         * inside a character when it quotes it). */
        PyObject *message = PyUnicode_DecodeUTF8(text, len, "replace");
        if (!message) return NULL;
        PyObject *error = PyObject_CallOneArg(w->make_error, message);
        Py_DECREF(message);
        return error;
    }
    case ':':
        if (integer(text, len, &n)) return NULL;
        return PyLong_FromLongLong(n);
    case '$': {
        const char *data;
        Py_ssize_t size;
        w->pos = at;
        if (bulk(w, &data, &size)) return NULL;
        if (!data) Py_RETURN_NONE;
        return PyUnicode_DecodeUTF8(data, size, "strict");
    }
    case '*': {
        if (integer(text, len, &n)) return NULL;
        if (n < 0) Py_RETURN_NONE;
        if (n > w->size - w->pos) { malformed(); return NULL; }  /* each element takes bytes */
        PyObject *list = PyList_New((Py_ssize_t)n);
        if (!list) return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *element = generic(w, depth + 1);
            if (!element) { Py_DECREF(list); return NULL; }
            PyList_SET_ITEM(list, i, element);
        }
        return list;
    }
    default:
        malformed();
        return NULL;
    }
}

static PyObject *wire_cell(Ctx *c, Wire *w, int depth);

static PyObject *wire_text(Wire *w) {
    const char *data;
    Py_ssize_t size;
    if (bulk(w, &data, &size)) return NULL;
    if (!data) { malformed(); return NULL; }
    return PyUnicode_DecodeUTF8(data, size, "strict");
}

static PyObject *wire_name(Wire *w, PyObject *table) {
    long long id;
    if (number(w, ':', &id)) return NULL;
    return name_in(table, id);
}

/* [[key id, kind, value], ...] */
static PyObject *wire_properties(Ctx *c, Wire *w, int depth) {
    long long n;
    if (number(w, '*', &n)) return NULL;
    if (n < 0 || n > w->size - w->pos) { malformed(); return NULL; }
    PyObject *out = PyDict_New();
    if (!out) return NULL;
    for (long long i = 0; i < n; i++) {
        long long three;
        if (number(w, '*', &three)) goto fail;
        if (three != 3) { malformed(); goto fail; }
        PyObject *name = wire_name(w, c->properties);
        if (!name) goto fail;
        PyObject *plain = wire_cell(c, w, -(depth + 1));  /* kind and value follow the key */
        if (!plain) { Py_DECREF(name); goto fail; }
        int err = PyDict_SetItem(out, name, plain);
        Py_DECREF(name);
        Py_DECREF(plain);
        if (err) goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyObject *pair(PyObject *k1, PyObject *v1, PyObject *k2, PyObject *v2) {
    PyObject *out = PyDict_New();
    if (out && (PyDict_SetItem(out, k1, v1) || PyDict_SetItem(out, k2, v2))) Py_CLEAR(out);
    return out;
}

/* A [kind, value] cell; ``depth`` < 0: the caller has read the array line already (a
 * property entry's kind and value follow its key). */
static PyObject *wire_cell(Ctx *c, Wire *w, int depth) {
    long long n, kind;
    if (depth >= 0) {
        if (number(w, '*', &n)) return NULL;
        if (n != 2) { malformed(); return NULL; }
    } else {
        depth = -depth;
    }
    if (depth > 64) { malformed(); return NULL; }
    if (number(w, ':', &kind)) return NULL;
    switch (kind) {
    case K_STRING:
        return wire_text(w);
    case K_INTEGER:
        if (number(w, ':', &n)) return NULL;
        return PyLong_FromLongLong(n);
    case K_BOOLEAN: {
        const char *data;
        Py_ssize_t size;
        if (bulk(w, &data, &size)) return NULL;
        if (!data) { malformed(); return NULL; }
        return PyBool_FromLong(size == 4 && memcmp(data, "true", 4) == 0);
    }
    case K_DOUBLE: {
        PyObject *text = wire_text(w);
        if (!text) return NULL;
        PyObject *value = PyFloat_FromString(text);
        Py_DECREF(text);
        return value;
    }
    case K_ARRAY: {
        if (number(w, '*', &n)) return NULL;
        if (n < 0 || n > w->size - w->pos) { malformed(); return NULL; }
        PyObject *list = PyList_New((Py_ssize_t)n);
        if (!list) return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *plain = wire_cell(c, w, depth + 1);
            if (!plain) { Py_DECREF(list); return NULL; }
            PyList_SET_ITEM(list, i, plain);
        }
        return list;
    }
    case K_NODE: {
        long long id, count;
        if (number(w, '*', &n) || (n != 3 && malformed())) return NULL;
        if (number(w, ':', &id) || number(w, '*', &count)) return NULL;
        if (count < 0 || count > w->size - w->pos) { malformed(); return NULL; }
        PyObject *labels = PyList_New((Py_ssize_t)count);
        if (!labels) return NULL;
        for (Py_ssize_t i = 0; i < count; i++) {
            PyObject *name = wire_name(w, c->labels);
            if (!name) { Py_DECREF(labels); return NULL; }
            PyList_SET_ITEM(labels, i, name);
        }
        if (count > 1 && PyList_Sort(labels)) { Py_DECREF(labels); return NULL; }
        PyObject *props = wire_properties(c, w, depth + 1);
        if (!props) { Py_DECREF(labels); return NULL; }
        PyObject *out = pair(s_labels, labels, s_properties, props);
        Py_DECREF(labels);
        Py_DECREF(props);
        return out;
    }
    case K_EDGE: {
        long long id;
        if (number(w, '*', &n) || (n != 5 && malformed())) return NULL;
        if (number(w, ':', &id)) return NULL;
        PyObject *type = wire_name(w, c->relationships);
        if (!type) return NULL;
        if (number(w, ':', &id) || number(w, ':', &id)) { Py_DECREF(type); return NULL; }
        PyObject *props = wire_properties(c, w, depth + 1);
        if (!props) { Py_DECREF(type); return NULL; }
        PyObject *out = pair(s_type, type, s_properties, props);
        Py_DECREF(type);
        Py_DECREF(props);
        return out;
    }
    case K_MAP: {
        if (number(w, '*', &n)) return NULL;
        if (n < 0 || n % 2 || n > w->size - w->pos) { malformed(); return NULL; }
        PyObject *out = PyDict_New();
        if (!out) return NULL;
        for (long long i = 0; i < n; i += 2) {
            PyObject *key = wire_text(w);
            if (!key) { Py_DECREF(out); return NULL; }
            PyObject *plain = wire_cell(c, w, depth + 1);
            if (!plain) { Py_DECREF(key); Py_DECREF(out); return NULL; }
            int err = PyDict_SetItem(out, key, plain);
            Py_DECREF(key);
            Py_DECREF(plain);
            if (err) { Py_DECREF(out); return NULL; }
        }
        return out;
    }
    default: {
        /* Null, paths, points, vectors, temporal values: as hiredis makes the value, then
         * the Python decoder's own rule for the kind. */
        PyObject *value = generic(w, depth + 1);
        if (!value) return NULL;
        if (kind == K_NULL) { Py_DECREF(value); Py_RETURN_NONE; }
        PyObject *kind_obj = PyLong_FromLongLong(kind);
        if (!kind_obj) { Py_DECREF(value); return NULL; }
        PyObject *out = PyObject_CallFunctionObjArgs(c->fallback, kind_obj, value, NULL);
        Py_DECREF(kind_obj);
        Py_DECREF(value);
        return out;
    }
    }
}

/* A query's reply, [header, rows, statistics], with its rows decoded. */
static PyObject *wire_query(Ctx *c, Wire *w) {
    long long n, rows_n;
    if (number(w, '*', &n)) return NULL;
    if (n != 3) { malformed(); return NULL; }
    PyObject *header = generic(w, 1);
    if (!header) return NULL;
    PyObject *names = NULL, *rows = NULL, *stats = NULL;
    if (!PyList_Check(header)) { malformed(); goto fail; }
    Py_ssize_t width = PyList_GET_SIZE(header);
    names = PyList_New(width);
    if (!names) goto fail;
    for (Py_ssize_t i = 0; i < width; i++) {
        PyObject *column = PyList_GET_ITEM(header, i);
        if (!PyList_Check(column) || PyList_GET_SIZE(column) != 2) { malformed(); goto fail; }
        PyObject *name = PyList_GET_ITEM(column, 1);
        Py_INCREF(name);
        PyList_SET_ITEM(names, i, name);
    }
    if (number(w, '*', &rows_n)) goto fail;
    if (rows_n < 0 || rows_n > w->size - w->pos) { malformed(); goto fail; }
    rows = PyList_New((Py_ssize_t)rows_n);
    if (!rows) goto fail;
    for (Py_ssize_t r = 0; r < rows_n; r++) {
        long long cells;
        if (number(w, '*', &cells)) goto fail;
        if (cells != width) { malformed(); goto fail; }
        PyObject *row = PyDict_New();
        if (!row) goto fail;
        PyList_SET_ITEM(rows, r, row);
        for (Py_ssize_t i = 0; i < width; i++) {
            PyObject *value = wire_cell(c, w, 1);
            if (!value) goto fail;
            int err = PyDict_SetItem(row, PyList_GET_ITEM(names, i), value);
            Py_DECREF(value);
            if (err) goto fail;
        }
    }
    stats = generic(w, 1);
    if (!stats) goto fail;
    PyObject *out = PyTuple_Pack(3, names, rows, stats);
    Py_DECREF(header);
    Py_DECREF(names);
    Py_DECREF(rows);
    Py_DECREF(stats);
    return out;
fail:
    Py_DECREF(header);
    Py_XDECREF(names);
    Py_XDECREF(rows);
    Py_XDECREF(stats);
    return NULL;
}

/* frame_end(buffer, pos=0, pending=1) -> (pos, pending): scans whole RESP elements from
 * ``pos`` with ``pending`` elements still to come; pending 0: the value ends at pos. Else
 * pos is where the first incomplete element starts: call again from there once the buffer
 * holds more (so a reply of many reads is scanned once, not once per read). */
static PyObject *frame_end(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer view;
    Py_ssize_t pos = 0, pending = 1;
    if (!PyArg_ParseTuple(args, "y*|nn:frame_end", &view, &pos, &pending)) return NULL;
    const char *p = view.buf;
    Py_ssize_t size = view.len;
    if (pos < 0 || pending < 0) { malformed(); goto error; }
    while (pending > 0 && pos < size) {
        const char *nl = memchr(p + pos, '\n', (size_t)(size - pos));
        if (!nl) break;
        char type = p[pos];
        Py_ssize_t text = pos + 1, len = (nl - p) - 1 - text, next = (nl - p) + 1;
        long long n;
        if (len < 0 || nl[-1] != '\r') { malformed(); goto error; }
        if (type == '*') {
            if (integer(p + text, len, &n)) goto error;
            if (n > 0 && n > PY_SSIZE_T_MAX / 4 - pending) { malformed(); goto error; }
            pending += n > 0 ? (Py_ssize_t)n : 0;
        } else if (type == '$') {
            if (integer(p + text, len, &n)) goto error;
            if (n >= 0) {
                if (n > size - next - 2) break;  /* the string's bytes are still to come */
                next += (Py_ssize_t)n + 2;
            }
        } else if (type != ':' && type != '+' && type != '-') {
            malformed();
            goto error;
        }
        pending -= 1;
        pos = next;
    }
    PyBuffer_Release(&view);
    return Py_BuildValue("(nn)", pos, pending);
error:
    PyBuffer_Release(&view);
    return NULL;
}

/* reply(buffer, make_error) -> the RESP value in ``buffer`` as hiredis (utf-8) makes it. */
static PyObject *reply(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer view;
    Wire w;
    if (!PyArg_ParseTuple(args, "y*O:reply", &view, &w.make_error)) return NULL;
    w.p = view.buf;
    w.size = view.len;
    w.pos = 0;
    PyObject *out = generic(&w, 0);
    if (out && w.pos != w.size) {
        Py_CLEAR(out);
        PyErr_SetString(PyExc_ValueError, "bytes after the RESP reply");
    }
    PyBuffer_Release(&view);
    return out;
}

/* query_reply(buffer, labels, properties, relationships, fallback, make_error)
 *   -> (names, rows, statistics) for a query's reply of three parts, else the reply as
 *      hiredis makes it (an error reply: the exception make_error made; the caller
 *      decodes it in Python). An id beyond the schema lists raises IndexError. */
static PyObject *query_reply(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer view;
    Ctx c;
    Wire w;
    if (!PyArg_ParseTuple(args, "y*OOOOO:query_reply", &view, &c.labels, &c.properties,
                          &c.relationships, &c.fallback, &w.make_error)) {
        return NULL;
    }
    w.p = view.buf;
    w.size = view.len;
    w.pos = 0;
    PyObject *out;
    /* A query's reply has three parts; an error, a write's statistics alone, or a failure
     * while running (an error among the parts) are read as hiredis reads them. */
    int three = view.len > 4 && memcmp(view.buf, "*3\r\n", 4) == 0;
    out = three ? wire_query(&c, &w) : NULL;
    if (!out && (!three || PyErr_ExceptionMatches(PyExc_ValueError))) {
        PyErr_Clear();
        w.pos = 0;
        out = generic(&w, 0);
    }
    if (out && w.pos != w.size) {
        Py_DECREF(out);
        out = NULL;
        PyErr_SetString(PyExc_ValueError, "bytes after the RESP reply");
    }
    PyBuffer_Release(&view);
    return out;
}

static PyMethodDef methods[] = {
    {"frame_end", frame_end, METH_VARARGS, "The end of the RESP value at an offset, or -1."},
    {"query_reply", query_reply, METH_VARARGS, "A query's reply read from its RESP bytes."},
    {"reply", reply, METH_VARARGS, "A RESP value read from its bytes, as hiredis reads it."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "compact_reply",
    "FalkorDB's compact replies read from their bytes into plain values (see falkordb_wire.py).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_compact_reply(void) {
    s_labels = PyUnicode_InternFromString("labels");
    s_properties = PyUnicode_InternFromString("properties");
    s_type = PyUnicode_InternFromString("type");
    s_true = PyUnicode_InternFromString("true");
    if (!s_labels || !s_properties || !s_type || !s_true) return NULL;
    return PyModule_Create(&module);
}
