/* FalkorDB's compact replies decoded into plain values, in C: the same values as
 * conductgraph.graph.falkordb_reply.ReplyDecoder.rows (graph/falkordb_reply.py), which
 * uses this module when it was built and keeps its own Python code as the fallback.
 *
 * Why: a 500-node subgraph is three replies of ~65 KB that hiredis has already parsed into
 * nested lists; turning them into rows of dicts was ~1.4 ms of Python per request, the
 * largest piece of the API's own CPU (docs/api.md, Performance).
 *
 * rows(body, names, labels, properties, relationships, fallback) -> list of row dicts
 *   body          reply[1]: the rows, each a list of [kind, value] cells
 *   names         the column names
 *   labels, properties, relationships
 *                 the graph's schema names, indexed by the ids the reply uses
 *   fallback      fallback(kind, value): the plain value of a cell kind this module does
 *                 not decode (paths, points, vectors, temporal values)
 * An id beyond a schema list raises IndexError: the caller refreshes its schema and
 * decodes the reply in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

enum { K_NULL = 1, K_STRING, K_INTEGER, K_BOOLEAN, K_DOUBLE, K_ARRAY, K_EDGE, K_NODE, K_PATH, K_MAP };

typedef struct {
    PyObject *labels, *properties, *relationships, *fallback;
} Ctx;

/* Interned keys and the boolean's text, made once at import. */
static PyObject *s_labels, *s_properties, *s_type, *s_true;

static PyObject *value_of(Ctx *c, PyObject *kind_obj, PyObject *value);

static PyObject *name_in(PyObject *table, PyObject *index) {
    Py_ssize_t i = PyLong_AsSsize_t(index);
    if (i == -1 && PyErr_Occurred()) return NULL;
    if (!PyList_Check(table) || i < 0 || i >= PyList_GET_SIZE(table)) {
        PyErr_SetString(PyExc_IndexError, "schema id not cached");
        return NULL;
    }
    PyObject *name = PyList_GET_ITEM(table, i);
    Py_INCREF(name);
    return name;
}

static PyObject *item(PyObject *list, Py_ssize_t i) {
    if (!PyList_Check(list) || i >= PyList_GET_SIZE(list)) {
        PyErr_SetString(PyExc_ValueError, "malformed compact reply");
        return NULL;
    }
    return PyList_GET_ITEM(list, i);  /* borrowed */
}

/* A [kind, value] cell. */
static PyObject *cell_of(Ctx *c, PyObject *cell) {
    PyObject *kind = item(cell, 0), *value = item(cell, 1);
    if (!kind || !value) return NULL;
    return value_of(c, kind, value);
}

/* Node and edge properties: [[key id, kind, value], ...]. */
static PyObject *properties_of(Ctx *c, PyObject *entries) {
    if (!PyList_Check(entries)) {
        PyErr_SetString(PyExc_ValueError, "malformed compact reply");
        return NULL;
    }
    PyObject *out = PyDict_New();
    if (!out) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(entries);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *entry = PyList_GET_ITEM(entries, i);
        PyObject *key = item(entry, 0), *kind = item(entry, 1), *value = item(entry, 2);
        if (!key || !kind || !value) goto fail;
        PyObject *name = name_in(c->properties, key);
        if (!name) goto fail;
        PyObject *plain = value_of(c, kind, value);
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

static PyObject *node_of(Ctx *c, PyObject *value) {
    PyObject *ids = item(value, 1), *entries = item(value, 2);
    if (!ids || !entries) return NULL;
    if (!PyList_Check(ids)) {
        PyErr_SetString(PyExc_ValueError, "malformed compact reply");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(ids);
    PyObject *labels = PyList_New(n);
    if (!labels) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = name_in(c->labels, PyList_GET_ITEM(ids, i));
        if (!name) { Py_DECREF(labels); return NULL; }
        PyList_SET_ITEM(labels, i, name);
    }
    if (n > 1 && PyList_Sort(labels)) { Py_DECREF(labels); return NULL; }
    PyObject *props = properties_of(c, entries);
    if (!props) { Py_DECREF(labels); return NULL; }
    PyObject *out = PyDict_New();
    if (out && (PyDict_SetItem(out, s_labels, labels) || PyDict_SetItem(out, s_properties, props))) {
        Py_CLEAR(out);
    }
    Py_DECREF(labels);
    Py_DECREF(props);
    return out;
}

static PyObject *edge_of(Ctx *c, PyObject *value) {
    PyObject *type_id = item(value, 1), *entries = item(value, 4);
    if (!type_id || !entries) return NULL;
    PyObject *type = name_in(c->relationships, type_id);
    if (!type) return NULL;
    PyObject *props = properties_of(c, entries);
    if (!props) { Py_DECREF(type); return NULL; }
    PyObject *out = PyDict_New();
    if (out && (PyDict_SetItem(out, s_type, type) || PyDict_SetItem(out, s_properties, props))) {
        Py_CLEAR(out);
    }
    Py_DECREF(type);
    Py_DECREF(props);
    return out;
}

static PyObject *array_of(Ctx *c, PyObject *value) {
    if (!PyList_Check(value)) {
        PyErr_SetString(PyExc_ValueError, "malformed compact reply");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(value);
    PyObject *out = PyList_New(n);
    if (!out) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *plain = cell_of(c, PyList_GET_ITEM(value, i));
        if (!plain) { Py_DECREF(out); return NULL; }
        PyList_SET_ITEM(out, i, plain);
    }
    return out;
}

/* A map: [key, [kind, value], key, [kind, value], ...]. */
static PyObject *map_of(Ctx *c, PyObject *value) {
    if (!PyList_Check(value) || PyList_GET_SIZE(value) % 2) {
        PyErr_SetString(PyExc_ValueError, "malformed compact reply");
        return NULL;
    }
    PyObject *out = PyDict_New();
    if (!out) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(value);
    for (Py_ssize_t i = 0; i < n; i += 2) {
        PyObject *plain = cell_of(c, PyList_GET_ITEM(value, i + 1));
        if (!plain) { Py_DECREF(out); return NULL; }
        int err = PyDict_SetItem(out, PyList_GET_ITEM(value, i), plain);
        Py_DECREF(plain);
        if (err) { Py_DECREF(out); return NULL; }
    }
    return out;
}

static PyObject *value_of(Ctx *c, PyObject *kind_obj, PyObject *value) {
    long kind = PyLong_AsLong(kind_obj);
    if (kind == -1 && PyErr_Occurred()) return NULL;
    switch (kind) {
    case K_STRING:
    case K_INTEGER:
        Py_INCREF(value);
        return value;
    case K_NULL:
        Py_RETURN_NONE;
    case K_BOOLEAN: {
        int equal = PyObject_RichCompareBool(value, s_true, Py_EQ);
        if (equal < 0) return NULL;
        return PyBool_FromLong(equal);
    }
    case K_DOUBLE:
        return PyFloat_FromString(value);
    case K_ARRAY:
        return array_of(c, value);
    case K_EDGE:
        return edge_of(c, value);
    case K_NODE:
        return node_of(c, value);
    case K_MAP:
        return map_of(c, value);
    default:
        return PyObject_CallFunctionObjArgs(c->fallback, kind_obj, value, NULL);
    }
}

static PyObject *rows(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *body, *names;
    Ctx c;
    if (!PyArg_ParseTuple(args, "O!O!OOOO:rows", &PyList_Type, &body, &PyList_Type, &names,
                          &c.labels, &c.properties, &c.relationships, &c.fallback)) {
        return NULL;
    }
    Py_ssize_t width = PyList_GET_SIZE(names), n = PyList_GET_SIZE(body);
    PyObject *out = PyList_New(n);
    if (!out) return NULL;
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *row = PyList_GET_ITEM(body, r);
        if (!PyList_Check(row) || PyList_GET_SIZE(row) != width) {
            PyErr_SetString(PyExc_ValueError, "a row of the reply does not match its columns");
            goto fail;
        }
        PyObject *plain = PyDict_New();
        if (!plain) goto fail;
        PyList_SET_ITEM(out, r, plain);
        for (Py_ssize_t i = 0; i < width; i++) {
            PyObject *value = cell_of(&c, PyList_GET_ITEM(row, i));
            if (!value) goto fail;
            int err = PyDict_SetItem(plain, PyList_GET_ITEM(names, i), value);
            Py_DECREF(value);
            if (err) goto fail;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"rows", rows, METH_VARARGS, "The rows of a compact reply's body as dicts by column name."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "compact_reply",
    "FalkorDB's compact replies decoded into plain values, in C (see falkordb_reply.py).",
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
