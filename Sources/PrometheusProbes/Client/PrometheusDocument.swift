import HTTPClient
import JSON

/// A Prometheus answer read into a tree, with the room it holds in the plugin's memory budget for answers
/// (``PrometheusClient/treeCostPerByte`` times the answer's size), given back when the last copy goes.
package struct PrometheusDocument: Sendable {
    /// The document.
    package let value: JSONValue
    /// The room the answer and its tree hold: give it to a text made of the tree (``JSONText/keepsAlive``) to keep
    /// that text counted until it is written.
    package let reservation: BodyReservation?

    /// The member `key` of the document.
    package subscript(key: String) -> JSONValue? { value[key] }
}
