// Placeholder replaced below in the same session.
console.log('hobbykube');
