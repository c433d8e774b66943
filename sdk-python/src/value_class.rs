//! `value_class!`: the small frozen classes whose instances are plain values (stream events, SSE
//! decoder items), each from one declaration: fields, `__match_args__` and `__repr__`.

/// A value class: frozen, compared by value, its fields read-only attributes and, in order, its
/// `__match_args__` (so `case ResumeTokenEvent(token)` works), and a `__repr__` made by `$repr`
/// from `self`.
macro_rules! value_class {
    ($(#[$doc:meta])* $name:ident { $($field:ident: $ty:ty),* }, |$this:ident| $repr:expr) => {
        $(#[$doc])*
        #[pyclass(frozen, eq, get_all, module = "olumi._native")]
        #[derive(PartialEq, Eq)]
        pub(crate) struct $name {
            $($field: $ty,)*
        }

        #[pymethods]
        impl $name {
            #[classattr]
            fn __match_args__(py: Python<'_>) -> PyResult<Py<pyo3::types::PyTuple>> {
                pyo3::types::PyTuple::new(py, [$(stringify!($field)),*]).map(Bound::unbind)
            }

            fn __repr__(&self) -> String {
                let $this = self;
                $repr
            }
        }
    };
}

pub(crate) use value_class;
