"""«Рассылки»: a manager writes to a list of people chosen within their scope (municipality ×
organization × state in a campaign or a course), previews who receives it, and sends it; the message
itself is recorded and delivered by :mod:`people.broadcasts`."""
